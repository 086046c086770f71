import AWSSigV4

/// A source of credentials.
public protocol CredentialProvider: Sendable {
    /// The credentials from this source; nil when the source is not configured here.
    func resolve() async throws(AWSError) -> AWSCredentials?
}

/// Credentials fixed at construction.
public struct StaticCredentialProvider: CredentialProvider {
    let credentials: AWSCredentials

    /// Always answers `credentials`.
    public init(_ credentials: AWSCredentials) { self.credentials = credentials }

    public func resolve() async throws(AWSError) -> AWSCredentials? { credentials }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (what Lambda provides), with
/// `AWS_CREDENTIAL_EXPIRATION`; read as they are at each resolve, so a refresh (before the
/// expiration, or after AWS answered ExpiredToken) picks up rotated values instead of the first ones.
public struct EnvironmentCredentialProvider: CredentialProvider {
    let environment: AWSEnvironment

    /// Reads the environment's variables.
    public init(environment: AWSEnvironment) { self.environment = environment }

    public func resolve() async throws(AWSError) -> AWSCredentials? {
        let value = { (name: String) in environment.currentValue(name).nonEmpty }
        let key = value("AWS_ACCESS_KEY_ID")
        let secret = value("AWS_SECRET_ACCESS_KEY")
        switch (key, secret) {
        case (nil, nil): return nil
        case (let key?, let secret?):
            let expiration = try value("AWS_CREDENTIAL_EXPIRATION").map { (text) throws(AWSError) in
                guard let date = ISO8601.parse(text) else {
                    throw AWSError.credentials("AWS_CREDENTIAL_EXPIRATION: expected an ISO 8601 time, got \(text)")
                }
                return date
            }
            return AWSCredentials(
                accessKeyID: key, secretAccessKey: secret,
                sessionToken: value("AWS_SESSION_TOKEN") ?? value("AWS_SECURITY_TOKEN"),
                expiration: expiration)
        default:
            throw AWSError.credentials("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together")
        }
    }
}

/// The profile's keys in the shared credentials file, then in the config file.
public struct ProfileCredentialProvider: CredentialProvider {
    let environment: AWSEnvironment

    /// Reads the environment's profile.
    public init(environment: AWSEnvironment) { self.environment = environment }

    public func resolve() async throws(AWSError) -> AWSCredentials? {
        let name = environment.profileName
        for section in [environment.credentialsFile?.sections[name], environment.profile] {
            guard let section, let key = section["aws_access_key_id"].nonEmpty else { continue }
            guard let secret = section["aws_secret_access_key"].nonEmpty else {
                throw AWSError.credentials("profile \(name): aws_access_key_id without aws_secret_access_key")
            }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"].nonEmpty)
        }
        return nil
    }
}

extension AWSError {
    static func credentials(_ message: String) -> AWSError {
        AWSError(service: "credentials", code: "CredentialsError", message: message)
    }
}
