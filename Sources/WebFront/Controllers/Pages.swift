import Logging
import AWSSigV4
import FoundationEssentials
import Hummingbird
import Workflows

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
            throw RedirectError(location: "/login?next=" + URIEncoding.encode(request.method == .get ? here : "/annotations"))
        }
        guard let profile = try await services.store.user(id) else {
            // The user was deleted while logged in: the session means nothing any more.
            context.session.end()
            throw RedirectError(location: "/login")
        }
        if profile.isIncomplete, !allowIncomplete {
            throw RedirectError(location: "/profile?next=" + URIEncoding.encode(here))
        }
        return profile
    }

    /// Publishes the annotation request of a PENDING job still marked unpublished and at least
    /// `minimumAge` seconds old (so a view does not race a submit in flight). A failure leaves the
    /// marker, so the sweep and the next view send it again: the request is never lost. True when
    /// the request is known to be out.
    func sendRequest(of job: JobRecord, minimumAge: Int = 0, context: WebContext) async -> Bool {
        guard job.status == .pending, let since = job.requestUnpublishedSince else { return true }
        guard Self.now() - since >= minimumAge else { return false }
        do {
            try await services.store.publishRequest(of: job)
            return true
        } catch {
            context.logger.error("job request not published yet", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            return false
        }
    }

    static func now() -> Int { WebStore.now() }

    /// Where state-changing (POST) routes go: behind the CSRF check.
    func stateChanging(_ router: Router<WebContext>) -> RouterGroup<WebContext> {
        router.group().add(middleware: CSRFMiddleware(publicOrigin: services.publicOrigin))
    }
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
