import AWSCore
import Logging

extension MotoServer {
    /// Variables that point the SDK conventions at this server with moto's test credentials.
    public var environmentVariables: [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "HOME": "/nonexistent",
        ]
    }

    /// An AWS client for this server, configured from environment variables as a deployment would be.
    public func client(retry: RetryPolicy = RetryPolicy(), extra: [String: String] = [:]) throws -> AWSClient {
        let environment = AWSEnvironment(variables: environmentVariables.merging(extra) { $1 })
        var logger = Logger(label: "gas.tests")
        logger.logLevel = .warning
        let base = try AWSClient.fromEnvironment(environment, logger: logger)
        return AWSClient(
            region: base.region, credentials: base.credentials, environment: environment, retry: retry, logger: logger)
    }
}
