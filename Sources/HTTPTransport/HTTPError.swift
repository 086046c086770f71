/// Why an HTTP exchange produced no response.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, for retry decisions.
    public enum Kind: Sendable, Equatable {
        /// No connection was made: the request was certainly not received.
        case connect
        /// The deadline passed; the server may have acted on the request.
        case timeout
        /// The connection broke mid-exchange; the server may have acted on the request.
        case connectionLost
        /// The task was cancelled.
        case cancelled
        /// The body source or sink failed.
        case body
        /// The response body was larger than the request allows in memory.
        case responseTooLarge
        /// A bad URL, option or other local failure.
        case local
    }

    /// The kind of failure.
    public let kind: Kind
    /// What happened, in words.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "HTTP \(kind): \(message)" }
}
