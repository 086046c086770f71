/// The page chrome: head, navigation bar, flashed messages, main content.
struct Layout {
    /// Who the bar is for: nil when nobody is logged in.
    var userName: String?
    var csrf: String?
    var flashes: [SessionData.Flash] = []
    /// Reload the page every few seconds while something is changing (a job running, a restore).
    var refreshSeconds: Int?

    func render(title: String, _ content: HTML) -> HTML {
        let refresh: HTML? = refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" }
        let nav: HTML
        if let userName, let csrf {
            nav = """
                <a href="/annotate">New annotation</a><a href="/annotations">Annotations</a><a href="/profile">\(userName)</a>
                <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf_token" value="\(csrf)"><button class="link">Logout</button></form>
                """
        } else {
            nav = "<a href=\"/login\">Login</a>"
        }
        let messages = flashes.map { flash -> HTML in "<p class=\"flash \(flash.level.rawValue)\" role=\"status\">\(flash.text)</p>" }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(refresh)<title>\(title) · GAS</title>
            <link rel="stylesheet" href="/static/gas.css">
            </head>
            <body>
            <header><nav><a class="brand" href="/">GAS</a><span class="links">\(nav)</span></nav></header>
            <main>
            \(messages)\(content)
            </main>
            <footer>Genomics Annotation Service</footer>
            </body>
            </html>
            """
    }
}
