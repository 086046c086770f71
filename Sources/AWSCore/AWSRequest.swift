import AWSSigV4
import HTTPTransport

/// One AWS API request before signing.
public struct AWSRequest: Sendable {
    /// The service it goes to.
    public var service: AWSService
    /// HTTP method.
    public var method: String
    /// The full URL, path and query already encoded.
    public var url: AWSURL
    /// Headers to send and sign (besides host, date, token and content hash).
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: HTTPRequestBody
    /// The payload line: nil hashes an in-memory body; streamed bodies must say.
    public var payload: SigV4Signer.Payload?
    /// Whether repeating the request after an unknown outcome is harmless.
    public var idempotent: Bool
    /// Where a successful response's body goes instead of memory.
    public var responseSink: (any HTTPBodySink)?
    /// Whole-exchange deadline in seconds; nil for no limit (streamed bodies of any size).
    public var timeout: Double?
    /// Seconds without a byte moving before the call fails as a timeout: bounds every call, streamed or not.
    public var stallTimeout: Double

    /// Creates a request.
    public init(
        service: AWSService, method: String, url: AWSURL, headers: [(name: String, value: String)] = [],
        body: HTTPRequestBody = .empty, payload: SigV4Signer.Payload? = nil, idempotent: Bool,
        responseSink: (any HTTPBodySink)? = nil, timeout: Double? = 60, stallTimeout: Double = 30
    ) {
        self.service = service
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.payload = payload
        self.idempotent = idempotent
        self.responseSink = responseSink
        self.timeout = timeout
        self.stallTimeout = stallTimeout
    }
}
