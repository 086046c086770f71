import FoundationEssentials
import Hummingbird

/// What every controller needs to render a page and find the logged-in user.
struct Pages: Sendable {
    let services: WebServices

    var configuration: WebConfiguration { services.configuration }

    /// The page in the layout, with the session's flashed messages.
    func render(_ title: String, _ content: HTML, context: WebContext, user: UserProfile? = nil, refresh: Int? = nil, status: HTTPResponse.Status = .ok) -> Page {
        let session = context.session
        let layout = Layout(
            userName: user.map { $0.name.isEmpty ? "Profile" : $0.name }, csrf: user == nil ? nil : session.csrfToken(),
            flashes: session.takeFlashes(), refreshSeconds: refresh)
        return Page(status: status, html: layout.render(title: title, content))
    }

    /// The logged-in user, or a redirect to `/login?next=<this page>`; a user without name or email
    /// goes to `/profile` first.
    func user(_ request: Request, context: WebContext, allowIncomplete: Bool = false) async throws -> UserProfile {
        let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        guard let id = context.session.userID else {
            throw RedirectError(location: "/login?next=" + OIDCProvider.formEncode(request.method == .get ? here : "/annotations"))
        }
        guard let profile = try await services.store.user(id) else {
            // The user was deleted while logged in: the session means nothing any more.
            context.session.end()
            throw RedirectError(location: "/login")
        }
        if profile.isIncomplete, !allowIncomplete {
            throw RedirectError(location: "/profile?next=" + OIDCProvider.formEncode(here))
        }
        return profile
    }

    static func now() -> Int { Int(Date().timeIntervalSince1970) }
}

extension RouterMethods {
    /// Answers 405 "Not allowed" on `path` for every method but `allowed`.
    @discardableResult
    func only(_ path: RouterPath, _ allowed: [HTTPRequest.Method]) -> Self {
        let others: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch].filter { !allowed.contains($0) }
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method in others {
            on(path, method: method) { _, _ -> Response in throw PageError(status: .methodNotAllowed, message: "This page does not take \(method.rawValue) requests.", allow: allow) }
        }
        return self
    }
}
