import AWSCore
import AWSS3
import Workflows

/// Result objects in a versioned S3 bucket.
public struct S3ObjectStore: ObjectStore {
    let s3: S3Client

    /// Uses `s3`.
    public init(s3: S3Client) { self.s3 = s3 }

    public func version(of location: ObjectLocation) async throws -> String? {
        do {
            let head = try await s3.headObject(bucket: location.bucket, key: location.key)
            // An unversioned bucket has no version id: refuse, deleting "null" would delete whatever is there.
            guard let version = head.versionID, version != "null" else {
                throw WorkflowError.dependency("bucket \(location.bucket) is not versioned; GAS deletes results by version", retryable: false)
            }
            return version
        } catch let error as AWSError where error.isMissingObject {
            return nil
        } catch let error as AWSError {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }

    public func delete(_ location: ObjectLocation, version: String) async throws {
        do {
            try await s3.deleteObject(bucket: location.bucket, key: location.key, versionID: version)
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }
}
