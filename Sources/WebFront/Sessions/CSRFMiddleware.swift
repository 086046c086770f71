import Hummingbird

/// Refuses a state-changing request unless its form carries the session's CSRF token (and the
/// Origin header, when the browser sends one, is this site). Added to every POST route, after
/// routing, so a POST to a page that takes none is a 405, not a CSRF error.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext

    static let field = "csrf_token"

    let publicOrigin: String

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        try await next(checkCSRF(request, context: context), context)
    }

    /// Reads the form, checks its token (and the Origin header when the browser sends one), and
    /// answers the request with its body buffered for the handler.
    func checkCSRF(_ request: Request, context: WebContext) async throws -> Request {
        if let origin = request.headers[.origin], origin != "null", origin != publicOrigin {
            throw CSRFError()
        }
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("application/x-www-form-urlencoded") else { throw CSRFError() }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let form = FormFields(String(buffer: buffer))
        guard let expected = context.session.data?.csrf, let sent = form[Self.field], RandomToken.equal(expected, sent) else {
            throw CSRFError()
        }
        var request = request
        request.body = RequestBody(buffer: buffer)
        return request
    }
}

/// The CSRF token was missing or wrong.
struct CSRFError: Error {}
