import FoundationEssentials
import LambdaRuntime

/// Adapts a typed handler to raw bytes: an event that does not decode fails as `InvalidEvent`
/// naming the field, and the output is encoded as JSON.
public struct CodableLambdaAdapter<Handler: LambdaHandler>: RawLambdaHandler {
    let handler: Handler

    /// Wraps `handler`.
    public init(_ handler: Handler) { self.handler = handler }

    public func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        let decoded: Handler.Event
        do {
            decoded = try JSONDecoder().decode(Handler.Event.self, from: Data(event))
        } catch let error as DecodingError {
            throw InvalidEventError(error, type: Handler.Event.self)
        }
        let output = try await handler.handle(decoded, context: context)
        if output is LambdaVoid { return Array("null".utf8) }
        return Array(try JSONEncoder().encode(output))
    }
}

/// The output of a handler that answers nothing (`null`).
public struct LambdaVoid: Codable, Sendable {
    /// The one value.
    public init() {}
}

