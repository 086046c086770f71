/// The message Glacier publishes to a job's SNS topic when it completes (the DescribeJob document).
public struct GlacierJobNotification: Decodable, Sendable, Equatable {
    /// `ArchiveRetrieval`, `InventoryRetrieval` or `Select`.
    public var action: String
    /// The job id.
    public var jobID: String
    /// The retrieved archive (nil for inventories).
    public var archiveID: String?
    /// Whether it finished; check `statusCode` too, a completed job can have failed.
    public var completed: Bool
    /// `InProgress`, `Succeeded` or `Failed`.
    public var statusCode: String
    /// Human text.
    public var statusMessage: String?
    /// The InitiateJob description (GAS puts the job id there).
    public var jobDescription: String?
    /// The tier.
    public var tier: String?
    /// Tree hash of the whole archive.
    public var archiveSHA256TreeHash: String?
    /// Tree hash of the retrieved range; nil when not tree-hash aligned.
    public var sha256TreeHash: String?
    /// Archive size in bytes.
    public var archiveSizeInBytes: Int64?
    /// The vault's ARN.
    public var vaultARN: String?

    enum CodingKeys: String, CodingKey {
        case action = "Action", jobID = "JobId", archiveID = "ArchiveId", completed = "Completed", statusCode = "StatusCode"
        case statusMessage = "StatusMessage", jobDescription = "JobDescription", tier = "Tier"
        case archiveSHA256TreeHash = "ArchiveSHA256TreeHash", sha256TreeHash = "SHA256TreeHash"
        case archiveSizeInBytes = "ArchiveSizeInBytes", vaultARN = "VaultARN"
    }

    /// The vault's name, from its ARN.
    public var vaultName: String? { vaultARN?.split(separator: "/").last.map(String.init) }
}
