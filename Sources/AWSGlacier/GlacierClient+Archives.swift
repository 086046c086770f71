import AWSCore
import AWSSigV4
import HTTPTransport

/// Hashes of a body about to be uploaded.
public struct GlacierChecksums: Sendable, Equatable {
    /// Tree hash (hex).
    public var treeHash: String
    /// Linear SHA-256 (hex), the SigV4 payload hash.
    public var sha256: String

    /// Creates checksums.
    public init(treeHash: String, sha256: String) {
        self.treeHash = treeHash
        self.sha256 = sha256
    }

    /// Both hashes of bytes in memory.
    public init(of bytes: [UInt8]) {
        let tree = TreeHash(withLinear: true)
        tree.update(bytes)
        let result = tree.finalize()
        self.init(treeHash: result.treeHash, sha256: result.sha256 ?? "")
    }
}

extension GlacierClient {
    /// Uploads an archive in one request (up to 4 GiB) and answers its archive id.
    /// A streamed body needs its checksums computed beforehand.
    public func uploadArchive(vault: String, body: HTTPRequestBody, checksums: GlacierChecksums, description: String? = nil) async throws(AWSError) -> String {
        try Self.checkDescription(description)
        guard body.length > 0 else { throw AWSError.invalidParameter("glacier", "body", "at least 1 byte") }
        var headers: [(name: String, value: String)] = [("x-amz-sha256-tree-hash", checksums.treeHash)]
        if let description { headers.append(("x-amz-archive-description", description)) }
        // Not idempotent: a repeat would store a second archive.
        let response = try await send(
            "POST", url(vault: vault, "/archives"), headers: headers, body: body, payload: .hash(checksums.sha256), idempotent: false)
        return try Self.archiveID(response)
    }

    /// Starts a multipart upload with `partSize` (1 MiB times a power of two, up to 4 GiB); answers its upload id.
    public func initiateMultipartUpload(vault: String, partSize: Int, description: String? = nil) async throws(AWSError) -> String {
        try Self.checkDescription(description)
        guard partSize >= TreeHash.chunkSize, partSize <= 4 << 30, partSize.nonzeroBitCount == 1 else {
            throw AWSError.invalidParameter("glacier", "partSize", "1 MiB times a power of two up to 4 GiB, got \(partSize)")
        }
        var headers: [(name: String, value: String)] = [("x-amz-part-size", String(partSize))]
        if let description { headers.append(("x-amz-archive-description", description)) }
        let response = try await send("POST", url(vault: vault, "/multipart-uploads"), headers: headers, idempotent: false)
        guard let id = response.header("x-amz-multipart-upload-id") else {
            throw AWSError.malformed("glacier", "InitiateMultipartUpload answered no x-amz-multipart-upload-id")
        }
        return id
    }

    /// Uploads the part starting at byte `offset` (a multiple of the part size).
    public func uploadMultipartPart(
        vault: String, uploadID: String, offset: Int64, body: HTTPRequestBody, checksums: GlacierChecksums
    ) async throws(AWSError) {
        guard body.length > 0, offset >= 0 else { throw AWSError.invalidParameter("glacier", "part", "a non-empty part at offset >= 0") }
        let headers: [(name: String, value: String)] = [
            ("Content-Range", "bytes \(offset)-\(offset + body.length - 1)/*"), ("x-amz-sha256-tree-hash", checksums.treeHash),
        ]
        _ = try await send(
            "PUT", url(vault: vault, "/multipart-uploads/\(URIEncoding.encode(uploadID))"), headers: headers, body: body,
            payload: .hash(checksums.sha256))
    }

    /// Completes the upload; `treeHash` is of the whole archive. Answers the archive id.
    public func completeMultipartUpload(vault: String, uploadID: String, archiveSize: Int64, treeHash: String) async throws(AWSError) -> String {
        let headers: [(name: String, value: String)] = [("x-amz-archive-size", String(archiveSize)), ("x-amz-sha256-tree-hash", treeHash)]
        let response = try await send("POST", url(vault: vault, "/multipart-uploads/\(URIEncoding.encode(uploadID))"), headers: headers)
        return try Self.archiveID(response)
    }

    /// Abandons a multipart upload.
    public func abortMultipartUpload(vault: String, uploadID: String) async throws(AWSError) {
        _ = try await send("DELETE", url(vault: vault, "/multipart-uploads/\(URIEncoding.encode(uploadID))"))
    }

    /// Deletes an archive (deleting one already gone is not an error on AWS).
    public func deleteArchive(vault: String, archiveID: String) async throws(AWSError) {
        _ = try await send("DELETE", url(vault: vault, "/archives/\(URIEncoding.encode(archiveID))"))
    }

    /// Creates a vault (local stacks and tests; CloudFormation has no vault resource).
    public func createVault(_ vault: String) async throws(AWSError) {
        _ = try await send("PUT", url(vault: vault))
    }

    static func archiveID(_ response: HTTPResponse) throws(AWSError) -> String {
        guard let id = response.header("x-amz-archive-id"), !id.isEmpty else {
            throw AWSError.malformed("glacier", "upload answered no x-amz-archive-id", status: response.status)
        }
        return id
    }
}
