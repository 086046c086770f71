/// A handler of raw event bytes: what every other handler form is built on.
public protocol RawLambdaHandler: Sendable {
    /// Handles one event and answers the response bytes.
    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8]
}

/// A raw handler from a closure.
public struct ClosureRawLambdaHandler: RawLambdaHandler {
    let body: @Sendable ([UInt8], LambdaContext) async throws -> [UInt8]

    /// Wraps `body`.
    public init(_ body: @escaping @Sendable ([UInt8], LambdaContext) async throws -> [UInt8]) { self.body = body }

    public func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] { try await body(event, context) }
}

