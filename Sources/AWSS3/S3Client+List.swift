import AWSCore
import HTTPTransport
import AWSSigV4
import FoundationEssentials

/// One object in a listing.
public struct S3ObjectSummary: Sendable, Equatable {
    /// The key.
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// Entity tag.
    public var eTag: String?
    /// Storage class.
    public var storageClass: String
    /// When it was last written.
    public var lastModified: Date?
}

/// One page of ListObjectsV2.
public struct S3ListPage: Sendable {
    /// Objects on this page.
    public var objects: [S3ObjectSummary]
    /// Common prefixes when a delimiter was given.
    public var commonPrefixes: [String]
    /// Pass this to get the next page; nil on the last page.
    public var nextContinuationToken: String?
}

extension S3Client {
    /// One page of keys under `prefix` (at most `maxKeys`, S3 caps it at 1000).
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, maxKeys: Int? = nil, continuationToken: String? = nil
    ) async throws(AWSError) -> S3ListPage {
        var query: [(name: String, value: String)] = [("list-type", "2")]
        if let continuationToken { query.append(("continuation-token", URIEncoding.encode(continuationToken))) }
        if let delimiter { query.append(("delimiter", URIEncoding.encode(delimiter))) }
        if let maxKeys {
            guard maxKeys >= 1 else { throw AWSError.invalidParameter("s3", "maxKeys", "at least 1, got \(maxKeys)") }
            query.append(("max-keys", String(maxKeys)))
        }
        if let prefix { query.append(("prefix", URIEncoding.encode(prefix))) }
        let root = try xml(try await send("GET", url(bucket: bucket, query: query)))
        let truncated = root.child("IsTruncated")?.text == "true"
        let objects = try root.children("Contents").map { (node) throws(AWSError) -> S3ObjectSummary in
            guard let key = node.child("Key")?.text else { throw AWSError.malformed("s3", "ListObjectsV2 entry without Key") }
            return S3ObjectSummary(
                key: key, size: Int64(node.child("Size")?.text ?? "") ?? 0, eTag: node.child("ETag")?.text,
                storageClass: node.child("StorageClass")?.text ?? "STANDARD",
                lastModified: node.child("LastModified").flatMap { ISO8601.parse($0.text) })
        }
        let next = root.child("NextContinuationToken")?.text
        if truncated && next == nil { throw AWSError.malformed("s3", "truncated listing without NextContinuationToken") }
        return S3ListPage(
            objects: objects, commonPrefixes: root.children("CommonPrefixes").compactMap { $0.child("Prefix")?.text },
            nextContinuationToken: truncated ? next : nil)
    }

    /// Every key under `prefix`, following continuation tokens.
    public func listAllObjects(bucket: String, prefix: String? = nil) async throws(AWSError) -> [S3ObjectSummary] {
        var all: [S3ObjectSummary] = []
        var token: String?
        repeat {
            let page = try await listObjectsV2(bucket: bucket, prefix: prefix, continuationToken: token)
            all += page.objects
            token = page.nextContinuationToken
        } while token != nil
        return all
    }
}
