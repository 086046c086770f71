import Logging
import Hummingbird

/// The one router of the web front, served by `gas-web` and by `WebHandler` alike.
public enum WebRouter {
    /// Every route, behind error pages, request logging and sessions (POST routes add CSRF checks).
    public static func build(_ services: WebServices) -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: ErrorPageMiddleware())
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(
            middleware: SessionMiddleware(
                store: services.sessions, lifetime: services.configuration.sessionSeconds, secureCookies: !services.configuration.insecureCookies))
        let pages = Pages(services: services)
        HomeController(pages: pages).add(to: router)
        AuthController(pages: pages).add(to: router)
        ProfileController(pages: pages).add(to: router)
        AnnotateController(pages: pages).add(to: router)
        JobsController(pages: pages).add(to: router)
        SubscribeController(pages: pages).add(to: router)
        return router
    }
}
