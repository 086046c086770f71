import AWSCore
import AWSSigV4
import FoundationEssentials
import HTTPTransport
import Synchronization

/// Retrieval speed of an archive-retrieval job.
public enum GlacierTier: String, Sendable, Codable, CaseIterable {
    /// 1 to 5 minutes; may fail with `InsufficientCapacityException`.
    case expedited = "Expedited"
    /// 3 to 5 hours.
    case standard = "Standard"
    /// 5 to 12 hours.
    case bulk = "Bulk"
}

/// What DescribeJob says about a job.
public struct GlacierJob: Sendable, Equatable, Decodable {
    /// The job id.
    public var JobId: String
    /// `ArchiveRetrieval` or `InventoryRetrieval`.
    public var Action: String
    /// The archive being retrieved.
    public var ArchiveId: String?
    /// `InProgress`, `Succeeded` or `Failed`.
    public var StatusCode: String
    /// Whether the job finished.
    public var Completed: Bool
    /// The job's description (GAS puts the job id there).
    public var JobDescription: String?
    /// The retrieval tier.
    public var Tier: String?
    /// Tree hash of the whole archive.
    public var ArchiveSHA256TreeHash: String?
    /// Tree hash of the retrieved range.
    public var SHA256TreeHash: String?
    /// Archive size.
    public var ArchiveSizeInBytes: Int64?
    /// Topic notified on completion.
    public var SNSTopic: String?
}

/// The output of GetJobOutput held in memory (empty when it went to a sink).
public struct GlacierJobOutput: Sendable {
    /// Bytes, unless a sink took them.
    public var body: [UInt8]
    /// The service's tree hash of what was sent, when the range was tree-hash aligned.
    public var treeHash: String?
    /// `Content-Range` of a partial output.
    public var contentRange: String?
}

extension GlacierClient {
    /// Starts an archive retrieval and answers the job id; completion is announced on `snsTopic`.
    /// Not idempotent: a repeat starts (and bills) a second job.
    public func initiateArchiveRetrieval(
        vault: String, archiveID: String, tier: GlacierTier, snsTopic: String? = nil, description: String? = nil
    ) async throws(AWSError) -> String {
        try Self.checkDescription(description)
        struct Input: Encodable {
            var `Type` = "archive-retrieval"
            var ArchiveId: String
            var Tier: String
            var SNSTopic: String?
            var Description: String?
        }
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(Input(ArchiveId: archiveID, Tier: tier.rawValue, SNSTopic: snsTopic, Description: description)))
        } catch {
            throw AWSError.invalidParameter("glacier", "job", "\(error)")
        }
        let response = try await send(
            "POST", url(vault: vault, "/jobs"), headers: [("Content-Type", "application/json")], body: .bytes(body), idempotent: false)
        guard let id = response.header("x-amz-job-id"), !id.isEmpty else {
            throw AWSError.malformed("glacier", "InitiateJob answered no x-amz-job-id", status: response.status)
        }
        return id
    }

    /// The job's current state.
    public func describeJob(vault: String, jobID: String) async throws(AWSError) -> GlacierJob {
        let response = try await send("GET", url(vault: vault, "/jobs/\(URIEncoding.encode(jobID))"))
        return try client.decodeJSON(GlacierJob.self, from: response, service: .glacier)
    }

    /// Downloads a finished job's output (or `range`, `bytes=a-b`) into memory or `sink`, verifying
    /// the tree hash the service sends; a mismatch fails with `ChecksumMismatch` (the sink must then discard what it got).
    public func getJobOutput(vault: String, jobID: String, range: String? = nil, sink: (any HTTPBodySink)? = nil) async throws(AWSError) -> GlacierJobOutput {
        let hashing = TreeHashingSink(forwardingTo: sink)
        let headers: [(name: String, value: String)] = range.map { [("Range", $0)] } ?? []
        let response = try await send("GET", url(vault: vault, "/jobs/\(URIEncoding.encode(jobID))/output"), headers: headers, sink: hashing)
        let computed = hashing.finish()
        let expected = response.header("x-amz-sha256-tree-hash")
        if let expected, expected.lowercased() != computed.treeHash {
            throw AWSError(
                service: "glacier", code: "ChecksumMismatch",
                message: "job \(jobID) output tree hash \(computed.treeHash) differs from the service's \(expected)", status: response.status,
                requestID: response.header("x-amzn-RequestId"))
        }
        return GlacierJobOutput(body: sink == nil ? computed.body : [], treeHash: expected, contentRange: response.header("Content-Range"))
    }
}

/// Computes the tree hash of a response body while passing it on (or collecting it).
/// Written on the transport's I/O thread, read after the response completed.
final class TreeHashingSink: HTTPBodySink, @unchecked Sendable {
    private let next: (any HTTPBodySink)?
    private let lock = Mutex(())
    private var tree = TreeHash()
    private var body: [UInt8] = []

    init(forwardingTo next: (any HTTPBodySink)?) { self.next = next }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try next?.write(bytes)
        lock.withLock { _ in
            tree.update(bytes)
            if next == nil { body.append(contentsOf: bytes) }
        }
    }

    func reset() throws {
        try next?.reset()
        lock.withLock { _ in
            tree = TreeHash()
            body = []
        }
    }

    func finish() -> (treeHash: String, body: [UInt8]) {
        lock.withLock { _ in (tree.finalize().treeHash, body) }
    }
}
