import LambdaRuntime

/// A handler of a typed JSON event with a typed JSON output.
public protocol LambdaHandler: Sendable {
    /// The decoded event.
    associatedtype Event: Decodable
    /// The encoded output.
    associatedtype Output: Encodable

    /// Handles one event.
    func handle(_ event: Event, context: LambdaContext) async throws -> Output
}

/// A typed handler from a closure.
public struct ClosureLambdaHandler<Event: Decodable, Output: Encodable>: LambdaHandler {
    let body: @Sendable (Event, LambdaContext) async throws -> Output

    /// Wraps `body`.
    public init(_ body: @escaping @Sendable (Event, LambdaContext) async throws -> Output) { self.body = body }

    public func handle(_ event: Event, context: LambdaContext) async throws -> Output { try await body(event, context) }
}
