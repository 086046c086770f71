import Hummingbird

/// `/`, the stylesheet and the health check.
struct HomeController {
    let pages: Pages

    func add(to router: Router<WebContext>) {
        router.get("/", use: home).only("/", [.get])
        router.get("/static/gas.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
        router.get("/healthz") { _, _ in "ok" }
    }

    @Sendable func home(_ request: Request, context: WebContext) async throws -> Page {
        let user = try await context.session.userID.asyncMap { try await pages.services.store.user($0) } ?? nil
        return pages.render("Home", HomePage.render(loggedIn: user != nil), context: context, user: user)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
