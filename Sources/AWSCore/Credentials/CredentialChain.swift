import AWSSigV4
import FoundationEssentials
import HTTPTransport
import Synchronization

/// The SDKs' provider chain with caching: the first provider that has credentials wins, and
/// temporary credentials are refreshed before they expire.
public final class CredentialChain: Sendable {
    /// Refresh this long before expiry, keeping the old credentials if the refresh fails.
    static let advisoryRefresh: TimeInterval = 15 * 60
    /// Never use credentials closer than this to expiry.
    static let mandatoryRefresh: TimeInterval = 10 * 60

    private let providers: [any CredentialProvider]
    private let now: @Sendable () -> Date
    private let cached = Mutex<AWSCredentials?>(nil)

    /// A chain over `providers`, in order.
    public init(_ providers: [any CredentialProvider], now: @escaping @Sendable () -> Date = { Date() }) {
        self.providers = providers
        self.now = now
    }

    /// The standard chain: environment, shared files, container endpoint, EC2 instance metadata.
    public static func standard(environment: AWSEnvironment, http: any HTTPClient) -> CredentialChain {
        CredentialChain([
            EnvironmentCredentialProvider(environment: environment),
            ProfileCredentialProvider(environment: environment),
            ContainerCredentialProvider(environment: environment, http: http),
            InstanceMetadataCredentialProvider(environment: environment, http: http),
        ])
    }

    /// Valid credentials, from the cache while they last.
    public func credentials() async throws(AWSError) -> AWSCredentials {
        let current = cached.withLock { $0 }
        if let current {
            guard let expiration = current.expiration else { return current }
            let left = expiration.timeIntervalSince(now())
            if left > Self.advisoryRefresh { return current }
            do {
                return try await refresh()
            } catch {
                if left > Self.mandatoryRefresh { return current }
                throw error
            }
        }
        return try await refresh()
    }

    /// Drops `credentials` from the cache (AWS said they expired): the next call resolves again.
    public func invalidate(_ credentials: AWSCredentials) {
        cached.withLock { if $0 == credentials { $0 = nil } }
    }

    private func refresh() async throws(AWSError) -> AWSCredentials {
        for provider in providers {
            if let credentials = try await provider.resolve() {
                cached.withLock { $0 = credentials }
                return credentials
            }
        }
        throw AWSError.credentials(
            "no credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or run where a container or instance role provides them")
    }
}
