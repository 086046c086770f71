import AWSCore
import AWSS3
import Stripe

/// What the routes use, built once per process by either host.
public struct WebServices: Sendable {
    public let configuration: WebConfiguration
    public let store: WebStore
    public let sessions: any SessionStore
    public let oidc: OIDCProvider
    /// Stripe, when subscriptions are on.
    public let stripe: StripeClient?
    let s3: S3Client

    /// Wires the front to `client` (and the identity provider behind `oidc`).
    public init(
        configuration: WebConfiguration, client: AWSClient, sessions: (any SessionStore)? = nil, oidc: OIDCProvider, stripe: StripeClient? = nil,
        listPageSize: Int? = nil
    ) {
        self.stripe = stripe
        self.configuration = configuration
        store = WebStore(client: client, configuration: configuration, listPageSize: listPageSize)
        self.sessions = sessions ?? DynamoDBSessionStore(client: client, table: configuration.sessionsTable)
        self.oidc = oidc
        s3 = S3Client(client: client)
    }

    /// The limits this front applies.
    var uploadLimit: UploadLimit { UploadLimit(freeBytes: configuration.freeUploadLimit) }

    /// The scheme, host and port of `PUBLIC_BASE_URL` (what browsers send as `Origin`).
    var publicOrigin: String {
        let base = configuration.publicBaseURL
        let parts = base.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return base }
        return parts[0] + "//" + parts[2]
    }
}
