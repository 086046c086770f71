import LambdaRuntime

/// The environment variables every GAS function reads, checked once at start.
public struct HandlerConfiguration: Sendable {
    /// Why the configuration cannot be used; becomes `/runtime/init/error`.
    public struct Invalid: LambdaErrorType {
        /// `Runtime.ConfigInvalid`.
        public var errorType: String { "Runtime.ConfigInvalid" }
        /// Names every missing or bad variable.
        public let errorMessage: String
    }

    /// Which cold store backend.
    public enum Backend: String, Sendable {
        case s3Glacier = "s3-glacier"
        case glacierVault = "glacier-vault"
    }

    public let annotationsTable: String
    public let usersTable: String
    public let userIndex: String
    public let resultsBucket: String
    public let backend: Backend
    public let vault: String?
    public let retrievalTopicARN: String?
    public let mailSender: String?
    public let jobPageBaseURL: String?
    /// `GLACIER_MULTIPART_THRESHOLD` in bytes (vault uploads above it go in parts).
    public let glacierMultipartThreshold: Int64?

    /// Reads `environment`; `required` names extra variables this function cannot run without, and
    /// `requiredWithVault` those it needs only on the vault backend (retrievals that start there
    /// complete only through `RETRIEVAL_TOPIC_ARN`).
    public init(environment: [String: String], required: [String] = [], requiredWithVault: [String] = []) throws(Invalid) {
        var problems: [String] = []
        func value(_ name: String, default fallback: String? = nil) -> String? {
            if let value = environment[name], !value.isEmpty { return value }
            return fallback
        }
        for name in ["ANNOTATIONS_TABLE", "USERS_TABLE", "RESULTS_BUCKET"] + required where value(name) == nil {
            problems.append("\(name) is not set")
        }
        let backendName = value("COLD_STORE", default: Backend.s3Glacier.rawValue)!
        let backend = Backend(rawValue: backendName)
        if backend == nil { problems.append("COLD_STORE must be s3-glacier or glacier-vault, got \(backendName)") }
        if backend == .glacierVault {
            for name in ["GLACIER_VAULT"] + requiredWithVault where value(name) == nil { problems.append("\(name) is required with COLD_STORE=glacier-vault") }
        }
        let thresholdText = value("GLACIER_MULTIPART_THRESHOLD")
        let threshold = thresholdText.flatMap { Int64($0) }
        if thresholdText != nil && (threshold ?? 0) < 1 { problems.append("GLACIER_MULTIPART_THRESHOLD must be a positive number of bytes") }
        guard problems.isEmpty, let backend else { throw Invalid(errorMessage: problems.joined(separator: "; ")) }
        annotationsTable = value("ANNOTATIONS_TABLE")!
        usersTable = value("USERS_TABLE")!
        userIndex = value("USER_ID_INDEX", default: "user_id_index")!
        resultsBucket = value("RESULTS_BUCKET")!
        self.backend = backend
        vault = value("GLACIER_VAULT")
        retrievalTopicARN = value("RETRIEVAL_TOPIC_ARN")
        mailSender = value("MAIL_SENDER")
        jobPageBaseURL = value("JOB_PAGE_BASE_URL")
        glacierMultipartThreshold = threshold
    }
}
