import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Environment variables and shared config files, read once: the region, profile and endpoints
/// the SDKs would choose in the same place.
public struct AWSEnvironment: Sendable {
    /// The variables consulted.
    public let variables: [String: String]
    /// The profile in use (`AWS_PROFILE`, else `default`).
    public let profileName: String
    /// The shared config file (`AWS_CONFIG_FILE`, else `~/.aws/config`), if it exists.
    public let configFile: ConfigFile?
    /// The shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), if it exists.
    public let credentialsFile: ConfigFile?
    /// Reads a variable as it is now, for what may change while the process runs (rotated
    /// credentials); nil: the variables as read at construction.
    let live: (@Sendable (String) -> String?)?

    /// Reads the process environment and the files it names; credentials are read again from the
    /// process environment each time they are resolved.
    public static func current() -> AWSEnvironment {
        AWSEnvironment(variables: ProcessInfo.processInfo.environment, live: processVariable)
    }

    /// A variable of the process environment as it is now.
    public static let processVariable: @Sendable (String) -> String? = { name in getenv(name).map { String(cString: $0) } }

    /// Reads the given variables and the files they name; `live`, when given, answers the current
    /// value of a variable whenever credentials are resolved again.
    public init(variables: [String: String], profile: String? = nil, live: (@Sendable (String) -> String?)? = nil) {
        self.variables = variables
        self.live = live
        profileName = profile ?? variables["AWS_PROFILE"].nonEmpty ?? variables["AWS_DEFAULT_PROFILE"].nonEmpty ?? "default"
        let home = variables["HOME"] ?? ""
        configFile = Self.read(variables["AWS_CONFIG_FILE"].nonEmpty ?? "\(home)/.aws/config")
        credentialsFile = Self.read(variables["AWS_SHARED_CREDENTIALS_FILE"].nonEmpty ?? "\(home)/.aws/credentials")
    }

    /// `name`'s value now: from `live` when there is one, else as read at construction.
    public func currentValue(_ name: String) -> String? { live.map { $0(name) } ?? variables[name] }

    /// The profile's keys from the config file (`[default]` or `[profile name]`).
    public var profile: [String: String] {
        let sectionName = profileName == "default" ? "default" : "profile \(profileName)"
        return configFile?.sections[sectionName] ?? configFile?.sections[profileName] ?? [:]
    }

    /// `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`.
    public var region: String? {
        variables["AWS_REGION"].nonEmpty ?? variables["AWS_DEFAULT_REGION"].nonEmpty ?? profile["region"].nonEmpty
    }

    /// The configured endpoint for `service`, or nil for the AWS default.
    public func configuredEndpoint(for service: AWSService) -> String? {
        let ignore = variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"].nonEmpty ?? profile["ignore_configured_endpoint_urls"]
        if ignore?.lowercased() == "true" { return nil }
        if let url = variables["AWS_ENDPOINT_URL_\(service.endpointKey)"].nonEmpty ?? variables["AWS_ENDPOINT_URL"].nonEmpty {
            return url
        }
        if let servicesName = profile["services"].nonEmpty,
            let url = configFile?.sections["services \(servicesName)"]?["\(service.endpointKey.lowercased()).endpoint_url"].nonEmpty
        {
            return url
        }
        return profile["endpoint_url"].nonEmpty
    }

    private static func read(_ path: String) -> ConfigFile? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { return nil }
        return ConfigFile(text: String(decoding: data, as: UTF8.self))
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
