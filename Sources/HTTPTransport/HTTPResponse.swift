/// A response: status, header fields, and the body unless it went to a sink.
public struct HTTPResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Header fields in the order received (the final response's only).
    public var headers: [(name: String, value: String)]
    /// The body, or empty when the request named a sink.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header value with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
