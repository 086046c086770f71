import AWSCore
import AWSSigV4
import FoundationEssentials
import HTTPTransport

/// One CORS rule of a bucket.
public struct S3CORSRule: Sendable, Equatable {
    public var allowedMethods: [String]
    public var allowedOrigins: [String]
    public var allowedHeaders: [String]
    public var maxAgeSeconds: Int?

    public init(allowedMethods: [String], allowedOrigins: [String], allowedHeaders: [String] = [], maxAgeSeconds: Int? = nil) {
        self.allowedMethods = allowedMethods
        self.allowedOrigins = allowedOrigins
        self.allowedHeaders = allowedHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }
}

/// The bucket settings a stack sets when it creates a bucket: default encryption, the public
/// access block and CORS. S3 requires a checksum of these bodies: they carry `x-amz-checksum-sha256`.
extension S3Client {
    /// Default encryption: `AES256` (SSE-S3), or `aws:kms` with `kmsKeyID`.
    public func putBucketEncryption(bucket: String, algorithm: String = "AES256", kmsKeyID: String? = nil) async throws(AWSError) {
        var xml = XMLWriter()
        xml.open("ServerSideEncryptionConfiguration", namespace: Self.namespace)
        xml.open("Rule")
        xml.open("ApplyServerSideEncryptionByDefault")
        xml.element("SSEAlgorithm", algorithm)
        if let kmsKeyID { xml.element("KMSMasterKeyID", kmsKeyID) }
        xml.close("ApplyServerSideEncryptionByDefault")
        xml.close("Rule")
        xml.close("ServerSideEncryptionConfiguration")
        try await putChecksummed(bucket: bucket, subresource: "encryption", xml.bytes)
    }

    /// Blocks public ACLs and policies (each of the four settings true unless given false).
    public func putPublicAccessBlock(
        bucket: String, blockPublicAcls: Bool = true, ignorePublicAcls: Bool = true, blockPublicPolicy: Bool = true, restrictPublicBuckets: Bool = true
    ) async throws(AWSError) {
        var xml = XMLWriter()
        xml.open("PublicAccessBlockConfiguration", namespace: Self.namespace)
        xml.element("BlockPublicAcls", String(blockPublicAcls))
        xml.element("IgnorePublicAcls", String(ignorePublicAcls))
        xml.element("BlockPublicPolicy", String(blockPublicPolicy))
        xml.element("RestrictPublicBuckets", String(restrictPublicBuckets))
        xml.close("PublicAccessBlockConfiguration")
        try await putChecksummed(bucket: bucket, subresource: "publicAccessBlock", xml.bytes)
    }

    /// Replaces the bucket's CORS rules.
    public func putBucketCors(bucket: String, rules: [S3CORSRule]) async throws(AWSError) {
        guard !rules.isEmpty else { throw AWSError.invalidParameter("s3", "rules", "at least one CORS rule") }
        var xml = XMLWriter()
        xml.open("CORSConfiguration", namespace: Self.namespace)
        for rule in rules {
            xml.open("CORSRule")
            for header in rule.allowedHeaders { xml.element("AllowedHeader", header) }
            for method in rule.allowedMethods { xml.element("AllowedMethod", method) }
            for origin in rule.allowedOrigins { xml.element("AllowedOrigin", origin) }
            if let maxAge = rule.maxAgeSeconds { xml.element("MaxAgeSeconds", String(maxAge)) }
            xml.close("CORSRule")
        }
        xml.close("CORSConfiguration")
        try await putChecksummed(bucket: bucket, subresource: "cors", xml.bytes)
    }

    private static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    private func putChecksummed(bucket: String, subresource: String, _ body: [UInt8]) async throws(AWSError) {
        let checksum = Data(SHA256.hash(body)).base64EncodedString()
        _ = try await send(
            "PUT", url(bucket: bucket, query: [(subresource, "")]), headers: [("x-amz-checksum-sha256", checksum), ("x-amz-sdk-checksum-algorithm", "SHA256")],
            body: .bytes(body))
    }
}
