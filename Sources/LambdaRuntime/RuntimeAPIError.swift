/// Why the runtime could not talk to the Runtime API.
enum RuntimeAPIError: Error, CustomStringConvertible {
    case badEndpoint(String)
    case connect(String)
    case connectionLost(String)
    case protocolError(String)
    /// An answer whose body is larger than the runtime takes (`length` bytes, or more); the
    /// connection is dropped without reading it. `requestID` names the invocation, if it was one.
    case oversized(length: Int, requestID: String?)

    var isConnectionReset: Bool {
        if case .connectionLost = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .badEndpoint(let value): "AWS_LAMBDA_RUNTIME_API: expected host:port, got \(value)"
        case .connect(let message), .connectionLost(let message): "Runtime API connection: \(message)"
        case .protocolError(let message): "Runtime API protocol: \(message)"
        case .oversized(let length, _): "Runtime API answer of \(length) bytes or more exceeds \(RuntimeAPIConnection.maxBodyBytes)"
        }
    }
}
