/// Everything the web front reads from its environment, checked once at start: both hosts
/// (`gas-web` and `WebHandler`) read the same variables and refuse to start naming what is missing.
public struct WebConfiguration: Sendable {
    /// The configuration cannot be used; the message names every missing or bad variable.
    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String { "web front configuration: " + problems.joined(separator: "; ") }
    }

    /// Where the client secret comes from.
    public enum Secret: Sendable, Equatable {
        /// `OIDC_CLIENT_SECRET` (local runs only).
        case value(String)
        /// `OIDC_CLIENT_SECRET_ARN`: read from Secrets Manager at start.
        case secretsManager(String)
        /// A public client (PKCE only).
        case none
    }

    /// `PUBLIC_BASE_URL`, without a trailing slash: what browsers see (redirect URIs, S3 redirects).
    public let publicBaseURL: String
    public let annotationsTable: String
    public let usersTable: String
    public let userIndex: String
    public let sessionsTable: String
    public let inputsBucket: String
    /// `INPUTS_KEY_PREFIX` (default empty): uploads go under `<prefix><user_id>/`.
    public let inputsPrefix: String
    public let jobRequestsTopicARN: String
    /// `UPGRADES_TOPIC_ARN`, where upgrades request a thaw.
    public let upgradesTopicARN: String?
    public let oidcIssuer: String
    public let oidcClientID: String
    public let oidcClientSecret: Secret
    /// `OIDC_SCOPES` (default `openid email profile`).
    public let oidcScopes: String
    /// `OIDC_LOGOUT_URL`: a logout page for issuers without an `end_session_endpoint` (Globus, Cognito's `/logout`).
    public let oidcLogoutURL: String?
    /// `DISPLAY_TIME_ZONE` (default America/Chicago).
    public let timeZone: DisplayTime
    public let timeZoneName: String
    /// `SESSION_TTL_SECONDS` (default 12 h).
    public let sessionSeconds: Int
    /// `PRESIGNED_URL_SECONDS` (default 60): upload forms and download redirects.
    public let presignSeconds: Int
    /// `FREE_UPLOAD_LIMIT_BYTES` (default 153,600).
    public let freeUploadLimit: Int
    /// Stripe, when subscriptions are on.
    public let payments: PaymentsConfiguration?
    /// `THAW_RESEND_SECONDS` (default 60): how old an unconfirmed thaw request must be before the sweep re-sends it.
    public let thawResendSeconds: Int

    /// Whether cookies may go over plain HTTP: only for a base URL on the loopback host.
    public var insecureCookies: Bool {
        publicBaseURL.hasPrefix("http://127.0.0.1") || publicBaseURL.hasPrefix("http://localhost") || publicBaseURL.hasPrefix("http://[::1]")
    }

    /// The redirect URI registered with the identity provider.
    public var callbackURL: String { publicBaseURL + "/authcallback" }

    /// Reads `environment`.
    public init(environment: [String: String]) throws(Invalid) {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        func required(_ name: String) -> String {
            guard let found = value(name) else {
                problems.append("\(name) is not set")
                return ""
            }
            return found
        }
        func seconds(_ name: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                problems.append("\(name) must be a whole number of seconds in \(range.lowerBound)...\(range.upperBound), got \(text)")
                return fallback
            }
            return number
        }
        var base = required("PUBLIC_BASE_URL")
        while base.hasSuffix("/") { base.removeLast() }
        if !base.isEmpty, !(base.hasPrefix("https://") || base.hasPrefix("http://")) {
            problems.append("PUBLIC_BASE_URL must be an http(s) URL, got \(base)")
        }
        publicBaseURL = base
        annotationsTable = required("ANNOTATIONS_TABLE")
        usersTable = required("USERS_TABLE")
        userIndex = value("USER_ID_INDEX") ?? "user_id_index"
        sessionsTable = required("SESSIONS_TABLE")
        inputsBucket = required("INPUTS_BUCKET")
        inputsPrefix = value("INPUTS_KEY_PREFIX") ?? ""
        if inputsPrefix.contains("~") { problems.append("INPUTS_KEY_PREFIX must not contain ~") }
        jobRequestsTopicARN = required("JOB_REQUESTS_TOPIC_ARN")
        upgradesTopicARN = value("UPGRADES_TOPIC_ARN")
        var issuer = required("OIDC_ISSUER")
        while issuer.hasSuffix("/") { issuer.removeLast() }
        oidcIssuer = issuer
        oidcClientID = required("OIDC_CLIENT_ID")
        switch (value("OIDC_CLIENT_SECRET"), value("OIDC_CLIENT_SECRET_ARN")) {
        case (let secret?, nil): oidcClientSecret = .value(secret)
        case (nil, let arn?): oidcClientSecret = .secretsManager(arn)
        case (nil, nil): oidcClientSecret = .none
        case (_?, _?):
            problems.append("set only one of OIDC_CLIENT_SECRET and OIDC_CLIENT_SECRET_ARN")
            oidcClientSecret = .none
        }
        oidcScopes = value("OIDC_SCOPES") ?? "openid email profile"
        if !oidcScopes.split(separator: " ").contains("openid") { problems.append("OIDC_SCOPES must include openid") }
        oidcLogoutURL = value("OIDC_LOGOUT_URL")
        timeZoneName = value("DISPLAY_TIME_ZONE") ?? "America/Chicago"
        if let zone = DisplayTime(zone: timeZoneName) {
            timeZone = zone
        } else {
            problems.append("DISPLAY_TIME_ZONE must be a known zone name or a POSIX TZ rule, got \(timeZoneName)")
            timeZone = DisplayTime(zone: "UTC")!
        }
        sessionSeconds = seconds("SESSION_TTL_SECONDS", default: 12 * 3600, range: 300...(30 * 86_400))
        presignSeconds = seconds("PRESIGNED_URL_SECONDS", default: 60, range: 1...604_800)
        freeUploadLimit = seconds("FREE_UPLOAD_LIMIT_BYTES", default: UploadLimit.defaultFreeBytes, range: 1...(5 << 30))
        payments = PaymentsConfiguration.read(value, problems: &problems)
        if payments != nil, upgradesTopicARN == nil { problems.append("UPGRADES_TOPIC_ARN is not set (subscriptions request thaws there)") }
        thawResendSeconds = seconds("THAW_RESEND_SECONDS", default: 60, range: 1...86_400)
        guard problems.isEmpty else { throw Invalid(problems: problems) }
    }
}
