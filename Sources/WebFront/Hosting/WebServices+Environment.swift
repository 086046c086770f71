import AWSCore
import AWSSecretsManager
import Logging
import Stripe

extension WebServices {
    /// Reads the configuration, builds the AWS client and the identity provider, and reads the
    /// client secret from Secrets Manager when `OIDC_CLIENT_SECRET_ARN` names one. Both hosts start here.
    public static func fromEnvironment(_ variables: [String: String], logger: Logger, listPageSize: Int? = nil) async throws -> WebServices {
        let configuration = try WebConfiguration(environment: variables)
        let client = try AWSClient.fromEnvironment(AWSEnvironment(variables: variables), logger: logger)
        let secrets = SecretsManagerClient(client: client)
        func read(_ secret: WebConfiguration.Secret) async throws -> String? {
            switch secret {
            case .value(let value): value
            case .secretsManager(let arn): try await secrets.secretString(arn)
            case .none: nil
            }
        }
        let secret = try await read(configuration.oidcClientSecret)
        var stripe: StripeClient?
        if let payments = configuration.payments, let key = try await read(payments.secretKey) {
            stripe = StripeClient(secretKey: key, baseURL: payments.apiURL)
        }
        let oidc = OIDCProvider(
            issuer: configuration.oidcIssuer, clientID: configuration.oidcClientID, clientSecret: secret, redirectURI: configuration.callbackURL,
            scopes: configuration.oidcScopes)
        return WebServices(configuration: configuration, client: client, oidc: oidc, stripe: stripe, listPageSize: listPageSize)
    }
}
