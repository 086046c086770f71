import AWSCore
import AWSS3
import Workflows

/// Cold copies as objects in the `GLACIER` storage class under `archive/<job>/<attempt>` of the
/// results bucket; retrievals are RestoreObject, completions the `s3:ObjectRestore:Completed` event.
public struct S3GlacierColdStore: ColdStore {
    /// Where cold copies live in the bucket.
    public static let prefix = "archive/"

    let s3: S3Client
    let bucket: String
    let storageClass: String
    let restoreDays: Int

    /// Cold copies in `bucket`, class `storageClass`; restored copies stay readable `restoreDays`.
    public init(s3: S3Client, bucket: String, storageClass: String = "GLACIER", restoreDays: Int = 2) {
        self.s3 = s3
        self.bucket = bucket
        self.storageClass = storageClass
        self.restoreDays = restoreDays
    }

    /// The job a cold copy belongs to, from its key; nil for keys outside the archive prefix.
    public static func jobID(ofArchiveKey key: String) -> String? {
        guard key.hasPrefix(prefix) else { return nil }
        let parts = key.dropFirst(prefix.count).split(separator: "/")
        return parts.count == 2 ? String(parts[0]) : nil
    }

    public func archive(_ location: ObjectLocation, version: String, jobID: String) async throws -> ColdReference {
        let key = "\(Self.prefix)\(jobID)/\(UInt64.random(in: 1...UInt64.max))"
        try await Self.translating {
            let head = try await s3.headObject(bucket: location.bucket, key: location.key)
            try await s3.copyAnySize(
                sourceBucket: location.bucket, sourceKey: location.key, sourceVersionID: version, size: head.contentLength, bucket: bucket,
                key: key, options: S3PutOptions(storageClass: storageClass, serverSideEncryption: "AES256"))
        }
        return ColdReference(key)
    }

    public func discard(_ reference: ColdReference) async throws {
        // Delete the version itself so no noncurrent GLACIER copy stays behind in a versioned bucket.
        let head: S3Object
        do {
            head = try await s3.headObject(bucket: bucket, key: reference.value)
        } catch where error.isMissingObject {
            return
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
        try await Self.translating { try await s3.deleteObject(bucket: bucket, key: reference.value, versionID: head.versionID) }
    }

    public func startRetrieval(_ reference: ColdReference, tier: RetrievalTier, jobID: String) async throws -> Retrieval {
        let s3Tier = S3RestoreTier(rawValue: tier.rawValue) ?? .standard
        do {
            _ = try await s3.restoreObject(bucket: bucket, key: reference.value, days: restoreDays, tier: s3Tier)
        } catch where error.code == "RestoreAlreadyInProgress" {
            // A duplicate thaw: the retrieval is running, which is what was asked.
        } catch where error.code == "GlacierExpeditedRetrievalNotAvailable" {
            throw ColdStoreError.tierUnavailable(tier)
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
        return Retrieval(tier: tier, id: "s3-restore:\(reference.value)")
    }

    public func restore(_ reference: ColdReference, retrieval: Retrieval?, to location: ObjectLocation) async throws {
        do {
            let head = try await s3.headObject(bucket: bucket, key: reference.value)
            if head.storageClass != "STANDARD" {
                // No restore header on an archived object: never restored, or the restored copy expired.
                guard let restore = head.restore else { throw ColdStoreError.retrievalGone }
                if restore.ongoing { throw ColdStoreError.notReady }
            }
            try await s3.copyAnySize(
                sourceBucket: bucket, sourceKey: reference.value, size: head.contentLength, bucket: location.bucket, key: location.key,
                options: S3PutOptions(storageClass: "STANDARD", serverSideEncryption: "AES256"))
        } catch let error as AWSError where error.code == "InvalidObjectState" {
            throw ColdStoreError.notReady
        } catch let error as AWSError {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }

    static func translating(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as AWSError {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }
}
