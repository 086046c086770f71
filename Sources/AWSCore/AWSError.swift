import FoundationEssentials
import HTTPTransport

/// Every failure of an AWS call: what the service said, or what went wrong on the way.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service's short name (`s3`, `dynamodb`, …).
    public var service: String
    /// The error code (`NoSuchKey`, `ConditionalCheckFailedException`, …) or a client code
    /// (`NetworkError`, `RequestTimeout`, `MalformedResponse`, `CredentialsError`, `InvalidParameter`).
    public var code: String
    /// Human-readable detail.
    public var message: String
    /// HTTP status, or 0 when no response arrived.
    public var status: Int
    /// The request id AWS assigned, when there was one.
    public var requestID: String?
    /// Extra fields some errors carry (`CancellationReasons`, `Item`, …) as raw JSON or XML.
    public var details: String?
    /// Seconds the service asked to wait (`Retry-After`), when it did.
    public var retryAfter: Double?

    /// Creates an error.
    public init(service: String, code: String, message: String, status: Int = 0, requestID: String? = nil, details: String? = nil) {
        self.service = service
        self.code = code
        self.message = message
        self.status = status
        self.requestID = requestID
        self.details = details
    }

    public var description: String {
        let id = requestID.map { ", request id \($0)" } ?? ""
        return "\(service) \(code) (HTTP \(status)\(id)): \(message)"
    }

    /// The request's signing time was too far from the service's clock.
    public var isClockSkew: Bool {
        ["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"].contains(code)
            || (code == "InvalidSignatureException" && (message.contains("Signature expired") || message.contains("Signature not yet current")))
    }

    /// The session token expired before the cache thought it would.
    public var isExpiredToken: Bool { ["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"].contains(code) }

    /// A transport failure in AWS terms.
    static func transport(_ error: HTTPError, service: String) -> AWSError {
        let code =
            switch error.kind {
            case .timeout: "RequestTimeout"
            case .connect: "ConnectError"
            case .connectionLost: "NetworkError"
            case .cancelled: "Cancelled"
            case .body: "BodyStreamError"
            case .responseTooLarge: "ResponseTooLarge"
            case .local: "ClientError"
            }
        return AWSError(service: service, code: code, message: error.message)
    }

    /// A response the client could not understand.
    public static func malformed(_ service: String, _ message: String, status: Int = 200, requestID: String? = nil) -> AWSError {
        AWSError(service: service, code: "MalformedResponse", message: message, status: status, requestID: requestID)
    }

    /// A parameter the caller gave that the API cannot take.
    public static func invalidParameter(_ service: String, _ name: String, _ expected: String) -> AWSError {
        AWSError(service: service, code: "InvalidParameter", message: "\(name): expected \(expected)")
    }
}
