import AWSCore
import AWSSecretsManager
import Logging

extension WebServices {
    /// Reads the configuration, builds the AWS client and the identity provider, and reads the
    /// client secret from Secrets Manager when `OIDC_CLIENT_SECRET_ARN` names one. Both hosts start here.
    public static func fromEnvironment(_ variables: [String: String], logger: Logger, listPageSize: Int? = nil) async throws -> WebServices {
        let configuration = try WebConfiguration(environment: variables)
        let client = try AWSClient.fromEnvironment(AWSEnvironment(variables: variables), logger: logger)
        let secret: String?
        switch configuration.oidcClientSecret {
        case .value(let value): secret = value
        case .secretsManager(let arn): secret = try await SecretsManagerClient(client: client).secretString(arn)
        case .none: secret = nil
        }
        let oidc = OIDCProvider(
            issuer: configuration.oidcIssuer, clientID: configuration.oidcClientID, clientSecret: secret, redirectURI: configuration.callbackURL,
            scopes: configuration.oidcScopes)
        return WebServices(configuration: configuration, client: client, oidc: oidc, listPageSize: listPageSize)
    }
}
