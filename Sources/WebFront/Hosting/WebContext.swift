import Hummingbird
import Logging

/// The request context of every route, for both hosts: the HTTP server builds it from its
/// channel, the Lambda adapter from the invocation's logger.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request's session (loaded by `SessionMiddleware`).
    public let session: SessionHandle

    struct LambdaSource: RequestContextSource {
        var logger: Logger
    }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        session = SessionHandle()
    }

    /// A context for one API Gateway event; `logger` must carry `hb.request.id`.
    public init(logger: Logger) {
        coreContext = .init(source: LambdaSource(logger: logger))
        session = SessionHandle()
    }

    /// Forms are small; uploads go straight to S3.
    public var maxUploadSize: Int { 64 * 1024 }
}
