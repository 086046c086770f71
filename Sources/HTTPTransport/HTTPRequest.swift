/// One HTTP request as the transport sends it.
public struct HTTPRequest: Sendable {
    /// Upper-case method.
    public var method: String
    /// Absolute URL, already percent-encoded.
    public var url: String
    /// Header fields in order; the transport adds `Content-Length` itself.
    public var headers: [(name: String, value: String)]
    /// What is sent.
    public var body: HTTPRequestBody
    /// Where the response body goes; nil collects it in memory (up to `maxBufferedResponse`).
    public var responseSink: (any HTTPBodySink)?
    /// Seconds allowed to establish the connection.
    public var connectTimeout: Double
    /// Seconds allowed for the whole exchange; nil waits as long as it takes (long polls).
    public var totalTimeout: Double?
    /// Seconds the exchange may go without a byte moving either way before it fails as a timeout
    /// (a stalled connection, whatever the size of the body); nil for none (long polls).
    public var stallTimeout: Double?
    /// Largest response body collected in memory before the request fails.
    public var maxBufferedResponse: Int

    /// Creates a request.
    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty,
        responseSink: (any HTTPBodySink)? = nil, connectTimeout: Double = 5, totalTimeout: Double? = 60, stallTimeout: Double? = 30,
        maxBufferedResponse: Int = 64 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.responseSink = responseSink
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.stallTimeout = stallTimeout
        self.maxBufferedResponse = maxBufferedResponse
    }

    /// The first header value with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A request body: nothing, bytes in memory, or a stream of known length.
public enum HTTPRequestBody: Sendable {
    /// No body.
    case empty
    /// Bytes held in memory.
    case bytes([UInt8])
    /// `length` bytes read from `source` while sending; never held whole in memory.
    case stream(length: Int64, source: any HTTPBodySource)

    /// The number of bytes sent.
    public var length: Int64 {
        switch self {
        case .empty: 0
        case .bytes(let bytes): Int64(bytes.count)
        case .stream(let length, _): length
        }
    }
}
