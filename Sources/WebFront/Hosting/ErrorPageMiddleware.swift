import Hummingbird
import Logging

/// Turns every failure into a page in the site's layout (never a stack trace or raw JSON), logs it
/// with the request id, and answers redirects thrown by the routes.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let carrying as SessionCarryingError {
            var response = page(for: carrying.underlying, request: request, context: context)
            response.headers[values: .setCookie].append(contentsOf: carrying.setCookies)
            return response
        } catch {
            return page(for: error, request: request, context: context)
        }
    }

    func page(for error: any Error, request: Request, context: WebContext) -> Response {
        let status: HTTPResponse.Status
        var message: String?
        switch error {
        case let redirect as RedirectError:
            return Response.redirect(to: redirect.location, type: .normal)
        case is CSRFError:
            status = .badRequest
            message = "Cross-Site Request Forgery error detected"
        case let page as PageError:
            status = page.status
            message = page.message
        case let http as HTTPError:
            status = http.status
            message = http.status == .notFound ? "The page you asked for does not exist." : http.body
        default:
            status = .internalServerError
            message = "Something went wrong on our side; please try again in a moment."
        }
        let metadata: Logger.Metadata = ["status": "\(status.code)", "path": "\(request.uri.path)", "error": "\(String(describing: error).prefix(500))"]
        if status.code >= 500 {
            context.logger.error("request failed", metadata: metadata)
        } else {
            context.logger.notice("request refused", metadata: metadata)
        }
        let session = context.session
        let layout = Layout(userName: session.userID.map { _ in "Profile" }, csrf: session.userID == nil ? nil : session.data?.csrf)
        let body = layout.render(title: ErrorPage.title(status: Int(status.code)), ErrorPage.render(status: Int(status.code), message: message, requestID: context.id))
        var response = HTML.page(body.markup, status: status)
        if status == .methodNotAllowed, let allowed = (error as? PageError)?.allow { response.headers[.allow] = allowed }
        return response
    }
}
