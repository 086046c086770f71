import Logging
import LambdaRuntime

extension Lambda {
    /// Runs a typed handler (JSON event and output) as this process's Lambda function.
    public static func main<Handler: LambdaHandler>(_ makeHandler: @escaping @Sendable (Logger) async throws -> Handler) async -> Never {
        await main { logger -> any RawLambdaHandler in CodableLambdaAdapter(try await makeHandler(logger)) }
    }
}
