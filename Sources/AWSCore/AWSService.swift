/// What the client needs to know of one service to address and sign its requests.
public struct AWSService: Sendable, Hashable {
    /// Short name used in errors and logs.
    public let name: String
    /// SigV4 signing name.
    public let signingName: String
    /// Host prefix of the default endpoint (`{prefix}.{region}.amazonaws.com`).
    public let hostPrefix: String
    /// Endpoint key: `AWS_ENDPOINT_URL_<KEY>` and, lower-cased, the `[services]` config key.
    public let endpointKey: String

    /// Describes a service.
    public init(name: String, signingName: String, hostPrefix: String, endpointKey: String) {
        self.name = name
        self.signingName = signingName
        self.hostPrefix = hostPrefix
        self.endpointKey = endpointKey
    }
}
