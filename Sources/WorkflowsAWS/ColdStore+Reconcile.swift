import AWSCore
import AWSGlacier
import AWSS3
import FoundationEssentials
import Workflows

/// What a cold store tells the reconciler: the state of a retrieval, and the copies it holds.
public protocol ColdInventory: RetrievalProbe {
    /// Cold copies written before `cutoff`, epoch seconds.
    func coldCopies(before cutoff: Int) async throws -> [ColdCopy]
}

extension S3GlacierColdStore: ColdInventory {
    public func status(of retrieval: Retrieval, for reference: ColdReference) async throws -> RetrievalStatus {
        do {
            let head = try await s3.headObject(bucket: bucket, key: reference.value)
            if head.storageClass == "STANDARD" { return .ready }
            // No restore header: never restored, or the restored copy expired.
            guard let restore = head.restore else { return .gone }
            return restore.ongoing ? .inProgress : .ready
        } catch where error.isMissingObject {
            return .gone
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }

    /// Lists `archive/` (the reconciler's role may list that prefix only).
    public func coldCopies(before cutoff: Int) async throws -> [ColdCopy] {
        do {
            return try await s3.listAllObjects(bucket: bucket, prefix: Self.prefix).compactMap { object in
                guard let jobID = Self.jobID(ofArchiveKey: object.key), let written = object.lastModified else { return nil }
                let createdAt = Int(written.timeIntervalSince1970)
                return createdAt < cutoff ? ColdCopy(reference: ColdReference(object.key), jobID: jobID, createdAt: createdAt) : nil
            }
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }
}

extension GlacierVaultColdStore: ColdInventory {
    public func status(of retrieval: Retrieval, for reference: ColdReference) async throws -> RetrievalStatus {
        do {
            let job = try await glacier.describeJob(vault: vault, jobID: retrieval.id)
            guard job.Completed else { return .inProgress }
            return job.StatusCode == "Succeeded" ? .ready : .gone
        } catch where error.code == "ResourceNotFoundException" {
            return .gone  // expired (24 h after completion) or never known
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }

    /// A vault lists its archives only through an inventory job that takes hours: orphans in a
    /// vault are not swept here (the archive discards its own on every lost race).
    public func coldCopies(before cutoff: Int) async throws -> [ColdCopy] { [] }
}
