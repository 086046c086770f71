import AWSCore
import AWSSigV4
import HTTPTransport

/// Options for writing an object.
public struct S3PutOptions: Sendable {
    /// `Content-Type`.
    public var contentType: String?
    /// `STANDARD`, `GLACIER`, `DEEP_ARCHIVE`, …
    public var storageClass: String?
    /// `x-amz-meta-*` metadata (names without the prefix).
    public var metadata: [String: String]
    /// `AES256` or `aws:kms`.
    public var serverSideEncryption: String?

    /// Creates options.
    public init(contentType: String? = nil, storageClass: String? = nil, metadata: [String: String] = [:], serverSideEncryption: String? = nil) {
        self.contentType = contentType
        self.storageClass = storageClass
        self.metadata = metadata
        self.serverSideEncryption = serverSideEncryption
    }

    var headers: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append(("Content-Type", contentType)) }
        if let storageClass { headers.append(("x-amz-storage-class", storageClass)) }
        if let serverSideEncryption { headers.append(("x-amz-server-side-encryption", serverSideEncryption)) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { headers.append(("x-amz-meta-\(name)", value)) }
        return headers
    }
}

extension S3Client {
    /// Reads an object (or `range`, e.g. `bytes=0-1023`) into memory, or into `sink` when given.
    ///
    /// An archived object fails with `InvalidObjectState`; a missing one with `NoSuchKey`.
    public func getObject(
        bucket: String, key: String, versionID: String? = nil, range: String? = nil, sink: (any HTTPBodySink)? = nil
    ) async throws(AWSError) -> S3Object {
        let headers: [(name: String, value: String)] = range.map { [("Range", $0)] } ?? []
        let response = try await send("GET", url(bucket: bucket, key: key, query: Self.versionQuery(versionID)), headers: headers, sink: sink, timeout: nil)
        return S3Object(response)
    }

    /// Writes an object; a `.stream` body is sent with `UNSIGNED-PAYLOAD` unless `payload` says otherwise.
    @discardableResult
    public func putObject(
        bucket: String, key: String, body: HTTPRequestBody, options: S3PutOptions = S3PutOptions(), payload: SigV4Signer.Payload? = nil
    ) async throws(AWSError) -> String? {
        let payload = payload ?? { if case .stream = body { return .unsigned } else { return nil } }()
        let response = try await send(
            "PUT", url(bucket: bucket, key: key), headers: options.headers, body: body, payload: payload, timeout: nil)
        return response.header("ETag")
    }

    /// The object's metadata without its body; a missing object fails with `NoSuchKey` (or 403
    /// without `s3:ListBucket`: see `isMissingObject`).
    public func headObject(bucket: String, key: String) async throws(AWSError) -> S3Object {
        do {
            return S3Object(try await send("HEAD", url(bucket: bucket, key: key)))
        } catch where error.status == 404 {
            throw AWSError(service: "s3", code: "NoSuchKey", message: "no object \(key) in \(bucket)", status: 404, requestID: error.requestID)
        }
    }

    /// Deletes an object, or with `versionID` exactly that version (S3 answers success for a key that does not exist).
    public func deleteObject(bucket: String, key: String, versionID: String? = nil) async throws(AWSError) {
        _ = try await send("DELETE", url(bucket: bucket, key: key, query: Self.versionQuery(versionID)))
    }

    static func versionQuery(_ versionID: String?) -> [(name: String, value: String)] {
        versionID.map { [("versionId", URIEncoding.encode($0))] } ?? []
    }

    /// Server-side copy up to 5 GB; copying an object onto itself with a new storage class changes its class in place.
    @discardableResult
    public func copyObject(
        sourceBucket: String, sourceKey: String, sourceVersionID: String? = nil, bucket: String, key: String,
        options: S3PutOptions = S3PutOptions(), replaceMetadata: Bool = false
    ) async throws(AWSError) -> String? {
        var headers = [("x-amz-copy-source", Self.copySource(sourceBucket, sourceKey, sourceVersionID))] + options.headers
        let inPlace = sourceBucket == bucket && sourceKey == key
        if replaceMetadata || (inPlace && options.storageClass == nil) {
            headers.append(("x-amz-metadata-directive", "REPLACE"))
        }
        let response = try await send("PUT", url(bucket: bucket, key: key), headers: headers, timeout: nil, stallTimeout: Self.copyStallTimeout)
        return try xml(response).child("ETag")?.text
    }

    static func copySource(_ bucket: String, _ key: String, _ versionID: String? = nil) -> String {
        "/" + URIEncoding.encode(bucket) + "/" + URIEncoding.encode(key, keepSlash: true) + (versionID.map { "?versionId=\(URIEncoding.encode($0))" } ?? "")
    }
}
