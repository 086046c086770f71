/// `/`: what GAS is, and the way in.
enum HomePage {
    static func render(loggedIn: Bool) -> HTML {
        let action: HTML = loggedIn ? "<a class=\"button\" href=\"/annotate\">Annotate a VCF file</a>" : "<a class=\"button\" href=\"/login\">Get started - it's free!</a>"
        return """
            <section class="hero">
            <h1>Genomics Annotation Service</h1>
            <p>Upload a VCF file and get every variant annotated with its class, the genes and gene regions it touches, and its known rsID.</p>
            \(action)
            </section>
            <section class="card"><h2>Get Premium</h2><p>Premium users upload files of any size, and their results stay ready for download for ever.
            <a href="/subscribe">Get Premium</a></p></section>
            """
    }
}

/// `GET /logout`: a button, because logging out changes state and is a POST.
enum LogoutPage {
    static func render(csrf: String) -> HTML {
        """
        <h1>Log out</h1>
        <form method="post" action="/logout" class="card"><input type="hidden" name="csrf_token" value="\(csrf)"><p>Log out of GAS?</p><button>Log out</button></form>
        """
    }
}

/// The error pages: 403 "Not authorized", 404 "Page not found", 405 "Not allowed", 500 "Server error".
enum ErrorPage {
    static func title(status: Int) -> String {
        switch status {
        case 400: "Bad request"
        case 403: "Not authorized"
        case 404: "Page not found"
        case 405: "Not allowed"
        case 413: "Request too large"
        case 415: "Unsupported request"
        case 500...: "Server error"
        default: "Request failed"
        }
    }

    static func render(status: Int, message: String?, requestID: String) -> HTML {
        let detail: HTML = message.map { "<p>\($0)</p>" } ?? ""
        return """
            <section class="card"><h1>\(title(status: status))</h1>\(detail)
            <p class="muted">Error \(status) · request \(requestID)</p><p><a href="/">Home</a></p></section>
            """
    }
}
