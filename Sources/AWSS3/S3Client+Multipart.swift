import AWSCore
import AWSSigV4
import HTTPTransport

/// One uploaded part, as CompleteMultipartUpload needs it.
public struct S3CompletedPart: Sendable, Equatable {
    /// 1 to 10000.
    public var partNumber: Int
    /// The part's entity tag.
    public var eTag: String

    /// Creates a part record.
    public init(partNumber: Int, eTag: String) {
        self.partNumber = partNumber
        self.eTag = eTag
    }
}

extension S3Client {
    /// S3's largest single PUT or copy.
    public static let maxSinglePartSize: Int64 = 5 * 1024 * 1024 * 1024
    /// S3's smallest part other than the last.
    public static let minPartSize: Int64 = 5 * 1024 * 1024

    /// Starts a multipart upload and answers its upload id.
    public func createMultipartUpload(bucket: String, key: String, options: S3PutOptions = S3PutOptions()) async throws(AWSError) -> String {
        // Not idempotent: a repeat would leave an orphan upload behind.
        let response = try await send(
            "POST", url(bucket: bucket, key: key, query: [("uploads", "")]), headers: options.headers, idempotent: false)
        guard let id = try xml(response).child("UploadId")?.text, !id.isEmpty else {
            throw AWSError.malformed("s3", "CreateMultipartUpload answered no UploadId")
        }
        return id
    }

    /// Uploads part `partNumber` (1...10000) and answers its entity tag.
    public func uploadPart(
        bucket: String, key: String, uploadID: String, partNumber: Int, body: HTTPRequestBody, payload: SigV4Signer.Payload? = nil
    ) async throws(AWSError) -> S3CompletedPart {
        try Self.checkPartNumber(partNumber)
        let payload = payload ?? { if case .stream = body { return .unsigned } else { return nil } }()
        let response = try await send(
            "PUT", url(bucket: bucket, key: key, query: Self.partQuery(partNumber, uploadID)), body: body, payload: payload, timeout: nil)
        guard let eTag = response.header("ETag") else { throw AWSError.malformed("s3", "UploadPart answered no ETag") }
        return S3CompletedPart(partNumber: partNumber, eTag: eTag)
    }

    /// Copies `range` (`bytes=first-last`, inclusive) of an existing object into part `partNumber`.
    public func uploadPartCopy(
        sourceBucket: String, sourceKey: String, sourceVersionID: String? = nil, range: String?, bucket: String, key: String,
        uploadID: String, partNumber: Int
    ) async throws(AWSError) -> S3CompletedPart {
        try Self.checkPartNumber(partNumber)
        var headers = [("x-amz-copy-source", Self.copySource(sourceBucket, sourceKey, sourceVersionID))]
        if let range { headers.append(("x-amz-copy-source-range", range)) }
        let response = try await send(
            "PUT", url(bucket: bucket, key: key, query: Self.partQuery(partNumber, uploadID)), headers: headers, timeout: nil, stallTimeout: Self.copyStallTimeout)
        guard let eTag = try xml(response).child("ETag")?.text else {
            throw AWSError.malformed("s3", "UploadPartCopy answered no ETag")
        }
        return S3CompletedPart(partNumber: partNumber, eTag: eTag)
    }

    /// Joins the parts into the object; they must be in ascending part order.
    @discardableResult
    public func completeMultipartUpload(bucket: String, key: String, uploadID: String, parts: [S3CompletedPart]) async throws(AWSError) -> String? {
        guard !parts.isEmpty else { throw AWSError.invalidParameter("s3", "parts", "at least one uploaded part") }
        guard zip(parts, parts.dropFirst()).allSatisfy({ $0.partNumber < $1.partNumber }) else {
            throw AWSError.invalidParameter("s3", "parts", "ascending part numbers")
        }
        var xml = XMLWriter()
        xml.open("CompleteMultipartUpload", namespace: "http://s3.amazonaws.com/doc/2006-03-01/")
        for part in parts {
            xml.open("Part")
            xml.element("PartNumber", String(part.partNumber))
            xml.element("ETag", part.eTag)
            xml.close("Part")
        }
        xml.close("CompleteMultipartUpload")
        let response = try await send(
            "POST", url(bucket: bucket, key: key, query: [("uploadId", URIEncoding.encode(uploadID))]), body: .bytes(xml.bytes),
            timeout: nil)
        return try self.xml(response).child("ETag")?.text
    }

    /// Abandons an upload and frees its parts.
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws(AWSError) {
        _ = try await send("DELETE", url(bucket: bucket, key: key, query: [("uploadId", URIEncoding.encode(uploadID))]))
    }

    static func partQuery(_ partNumber: Int, _ uploadID: String) -> [(name: String, value: String)] {
        [("partNumber", String(partNumber)), ("uploadId", URIEncoding.encode(uploadID))]
    }

    static func checkPartNumber(_ partNumber: Int) throws(AWSError) {
        guard (1...10_000).contains(partNumber) else {
            throw AWSError.invalidParameter("s3", "partNumber", "1...10000, got \(partNumber)")
        }
    }
}

extension S3Client {
    /// Server-side copy of an object of `size` bytes: one CopyObject up to 5 GB, else a multipart
    /// copy in `partSize` ranges (aborted if any part fails, so no upload is left behind).
    @discardableResult
    public func copyAnySize(
        sourceBucket: String, sourceKey: String, sourceVersionID: String? = nil, size: Int64, bucket: String, key: String,
        options: S3PutOptions = S3PutOptions(), partSize: Int64 = 512 * 1024 * 1024
    ) async throws(AWSError) -> String? {
        guard size > Self.maxSinglePartSize else {
            return try await copyObject(
                sourceBucket: sourceBucket, sourceKey: sourceKey, sourceVersionID: sourceVersionID, bucket: bucket, key: key, options: options)
        }
        guard partSize >= Self.minPartSize, partSize <= Self.maxSinglePartSize, (size + partSize - 1) / partSize <= 10_000 else {
            throw AWSError.invalidParameter("s3", "partSize", "5 MiB to 5 GiB with at most 10000 parts for \(size) bytes")
        }
        let upload = try await createMultipartUpload(bucket: bucket, key: key, options: options)
        do {
            var parts: [S3CompletedPart] = []
            var offset: Int64 = 0
            while offset < size {
                let last = min(size, offset + partSize) - 1
                parts.append(
                    try await uploadPartCopy(
                        sourceBucket: sourceBucket, sourceKey: sourceKey, sourceVersionID: sourceVersionID, range: "bytes=\(offset)-\(last)",
                        bucket: bucket, key: key, uploadID: upload, partNumber: parts.count + 1))
                offset = last + 1
            }
            return try await completeMultipartUpload(bucket: bucket, key: key, uploadID: upload, parts: parts)
        } catch {
            try? await abortMultipartUpload(bucket: bucket, key: key, uploadID: upload)
            throw error
        }
    }
}
