import AWSCore

extension AWSService {
    /// AWS Secrets Manager.
    public static let secretsManager = AWSService(name: "secretsmanager", signingName: "secretsmanager", hostPrefix: "secretsmanager", endpointKey: "SECRETS_MANAGER")
}

/// AWS Secrets Manager: reading a secret's current value.
public struct SecretsManagerClient: Sendable {
    let client: AWSClient

    /// A client on `client`'s region, credentials and endpoints.
    public init(client: AWSClient) { self.client = client }

    /// The current `SecretString` of `secretID` (a name or ARN).
    public func secretString(_ secretID: String) async throws(AWSError) -> String {
        struct Input: Encodable { var SecretId: String }
        struct Output: Decodable { var SecretString: String? }
        let output: Output = try await client.json(
            .secretsManager, target: "secretsmanager.GetSecretValue", input: Input(SecretId: secretID), idempotent: true, version: "1.1")
        guard let value = output.SecretString else {
            throw AWSError.malformed("secretsmanager", "secret \(secretID) has no SecretString (binary secrets are not supported)")
        }
        return value
    }

    /// Creates a string secret and answers its ARN (local stacks and tests).
    public func createSecret(name: String, value: String) async throws(AWSError) -> String {
        struct Input: Encodable { var Name: String; var SecretString: String }
        struct Output: Decodable { var ARN: String }
        let output: Output = try await client.json(
            .secretsManager, target: "secretsmanager.CreateSecret", input: Input(Name: name, SecretString: value), idempotent: false, version: "1.1")
        return output.ARN
    }
}
