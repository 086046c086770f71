import FoundationEssentials
import Hummingbird

/// Loads the session named by the cookie and saves what the handler changed (state-changing
/// routes add `CSRFMiddleware`).
///
/// The cookie holds only a random id and is `HttpOnly`, `SameSite=Lax`, and `Secure` unless the
/// front runs on plain-http loopback. A store failure is an error (500), never a silent logout.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext

    static let cookieName = "gas_session"

    let store: any SessionStore
    let lifetime: Int
    let secureCookies: Bool

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let now = WebStore.now()
        if let id = request.cookies[Self.cookieName]?.value, Self.isWellFormed(id), let data = try await store.load(id, now: now) {
            context.session.loaded(id: id, data: data)
        }
        do {
            var response = try await next(request, context)
            try await persist(context.session, into: &response, now: now)
            return response
        } catch {
            // Keep what the handler did to the session (a rotated id, an ended session) even when it failed.
            var carrier = Response(status: .ok)
            try await persist(context.session, into: &carrier, now: now)
            let cookies = carrier.headers[values: .setCookie]
            throw cookies.isEmpty ? error : SessionCarryingError(underlying: error, setCookies: cookies)
        }
    }

    func persist(_ session: SessionHandle, into response: inout Response, now: Int) async throws {
        let outcome = session.takeChanges()
        if let retiring = outcome.retiring { try await store.delete(retiring) }
        if outcome.ended {
            response.headers[values: .setCookie].append(cookie(value: "", maxAge: 0).description)
            return
        }
        guard let save = outcome.save else { return }
        try await store.save(save.id, save.data, expiresAt: now + lifetime)
        if outcome.newCookie { response.headers[values: .setCookie].append(cookie(value: save.id, maxAge: lifetime).description) }
    }

    func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.cookieName, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// Ids this front minted: 43 base64url characters.
    static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 43 && id.utf8.allSatisfy { Base64URL.alphabet.contains($0) }
    }
}

/// A failed request whose session still changed: the error page must send these cookies.
struct SessionCarryingError: Error {
    var underlying: any Error
    var setCookies: [String]
}
