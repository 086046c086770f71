import AWSCore
import AWSGlacier
import AWSS3
import AWSSigV4
import HTTPTransport
import Workflows

#if canImport(Glibc)
    import Glibc
#endif

/// Cold copies as archives in a Glacier vault (the original GAS design). Bytes move through a
/// scratch file, never through memory: S3 → file → UploadArchive (multipart above 100 MiB), and
/// GetJobOutput → file (tree hash checked) → S3.
public struct GlacierVaultColdStore: ColdStore {
    /// Above this size uploads go in parts (by default).
    public static let defaultMultipartThreshold: Int64 = 100 * 1024 * 1024
    /// Part size of multipart uploads (a power of two MiB, as Glacier requires).
    public static let partSize = 16 * 1024 * 1024

    let glacier: GlacierClient
    let s3: S3Client
    let vault: String
    let snsTopic: String?
    let scratchDirectory: String
    let multipartThreshold: Int64

    /// Archives into `vault`; retrieval completions are published to `snsTopic`; archives above
    /// `multipartThreshold` bytes (at most 4 GiB) are uploaded in parts.
    public init(
        glacier: GlacierClient, s3: S3Client, vault: String, snsTopic: String?, scratchDirectory: String = "/tmp",
        multipartThreshold: Int64 = GlacierVaultColdStore.defaultMultipartThreshold
    ) {
        self.glacier = glacier
        self.s3 = s3
        self.vault = vault
        self.snsTopic = snsTopic
        self.scratchDirectory = scratchDirectory
        self.multipartThreshold = min(multipartThreshold, 4 << 30)
    }

    public func archive(_ location: ObjectLocation, version: String, jobID: String) async throws -> ColdReference {
        let path = scratchPath("archive-\(jobID)")
        defer { unlink(path) }
        do {
            let sink = try FileBodySink(path: path)
            _ = try await s3.getObject(bucket: location.bucket, key: location.key, versionID: version, sink: sink)
            try sink.sync()
            let size = sink.written
            guard size > 0 else { throw WorkflowError.resultMissing(jobID, location) }
            if size <= multipartThreshold {
                let checksums = try Self.checksums(path: path, offset: 0, length: size)
                let source = try FileBodySource(path: path)
                return ColdReference(try await glacier.uploadArchive(vault: vault, body: source.body, checksums: checksums, description: jobID))
            }
            return ColdReference(try await uploadInParts(path: path, size: size, jobID: jobID))
        } catch let error as AWSError {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        } catch let error as HTTPError {
            throw WorkflowError.dependency("scratch file: \(error.message)", retryable: false)
        }
    }

    private func uploadInParts(path: String, size: Int64, jobID: String) async throws -> String {
        let upload = try await glacier.initiateMultipartUpload(vault: vault, partSize: Self.partSize, description: jobID)
        do {
            var partHashes: [[UInt8]] = []
            var offset: Int64 = 0
            while offset < size {
                let length = min(Int64(Self.partSize), size - offset)
                let checksums = try Self.checksums(path: path, offset: offset, length: length)
                let source = try FileBodySource(path: path, offset: offset, length: length)
                try await glacier.uploadMultipartPart(vault: vault, uploadID: upload, offset: offset, body: source.body, checksums: checksums)
                partHashes.append(Hex.decode(checksums.treeHash) ?? [])
                offset += length
            }
            let treeHash = Hex.encode(TreeHash.combine(partHashes))
            return try await glacier.completeMultipartUpload(vault: vault, uploadID: upload, archiveSize: size, treeHash: treeHash)
        } catch {
            try? await glacier.abortMultipartUpload(vault: vault, uploadID: upload)
            throw error
        }
    }

    public func discard(_ reference: ColdReference) async throws {
        do {
            try await glacier.deleteArchive(vault: vault, archiveID: reference.value)
        } catch where error.code == "ResourceNotFoundException" {
            return
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }

    public func startRetrieval(_ reference: ColdReference, tier: RetrievalTier, jobID: String) async throws -> Retrieval {
        do {
            let id = try await glacier.initiateArchiveRetrieval(
                vault: vault, archiveID: reference.value, tier: GlacierTier(rawValue: tier.rawValue) ?? .standard, snsTopic: snsTopic,
                description: jobID)
            return Retrieval(tier: tier, id: id)
        } catch where error.code == "InsufficientCapacityException" || error.code == "PolicyEnforcedException" {
            throw ColdStoreError.tierUnavailable(tier)
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }

    public func restore(_ reference: ColdReference, retrieval: Retrieval?, to location: ObjectLocation) async throws {
        guard let retrieval else { throw ColdStoreError.notReady }
        let path = scratchPath("restore-\(retrieval.id.prefix(16))")
        defer { unlink(path) }
        do {
            let job = try await glacier.describeJob(vault: vault, jobID: retrieval.id)
            guard job.Completed else { throw ColdStoreError.notReady }
            guard job.StatusCode == "Succeeded" else { throw ColdStoreError.retrievalGone }
            let sink = try FileBodySink(path: path)
            _ = try await glacier.getJobOutput(vault: vault, jobID: retrieval.id, sink: sink)
            try sink.sync()
            let source = try FileBodySource(path: path)
            if sink.written <= S3Client.maxSinglePartSize {
                try await s3.putObject(
                    bucket: location.bucket, key: location.key, body: source.body, options: S3PutOptions(serverSideEncryption: "AES256"))
            } else {
                try await putInParts(path: path, size: sink.written, to: location)
            }
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            throw ColdStoreError.retrievalGone  // the job expired (24 h after it completed) or never existed
        } catch let error as AWSError where error.code == "ChecksumMismatch" {
            throw ColdStoreError.corrupt(error.message)
        } catch let error as AWSError {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        } catch let error as HTTPError {
            throw WorkflowError.dependency("scratch file: \(error.message)", retryable: false)
        }
    }

    private func putInParts(path: String, size: Int64, to location: ObjectLocation) async throws {
        let upload = try await s3.createMultipartUpload(bucket: location.bucket, key: location.key, options: S3PutOptions(serverSideEncryption: "AES256"))
        do {
            var parts: [S3CompletedPart] = []
            var offset: Int64 = 0
            let partSize: Int64 = 256 * 1024 * 1024
            while offset < size {
                let length = min(partSize, size - offset)
                let source = try FileBodySource(path: path, offset: offset, length: length)
                parts.append(try await s3.uploadPart(bucket: location.bucket, key: location.key, uploadID: upload, partNumber: parts.count + 1, body: source.body))
                offset += length
            }
            try await s3.completeMultipartUpload(bucket: location.bucket, key: location.key, uploadID: upload, parts: parts)
        } catch {
            try? await s3.abortMultipartUpload(bucket: location.bucket, key: location.key, uploadID: upload)
            throw error
        }
    }

    private func scratchPath(_ name: String) -> String {
        "\(scratchDirectory)/gas-\(name)-\(UInt32.random(in: .min ... .max))"
    }

    /// Tree hash and linear SHA-256 of a file range, read in 1 MiB pieces.
    static func checksums(path: String, offset: Int64, length: Int64) throws -> GlacierChecksums {
        let source = try FileBodySource(path: path, offset: offset, length: length)
        let tree = TreeHash(withLinear: true)
        var buffer = [UInt8](repeating: 0, count: TreeHash.chunkSize)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            buffer.withUnsafeBytes { tree.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        let result = tree.finalize()
        return GlacierChecksums(treeHash: result.treeHash, sha256: result.sha256 ?? "")
    }
}
