import AWSCore
import HTTPTransport
import AWSSigV4
import FoundationEssentials

extension S3Client {
    /// A URL that lets its holder GET (or PUT) one object for `expires` seconds, without credentials;
    /// a GET's answer carries the `response` overrides (signed, so the holder cannot change them).
    public func presignedURL(
        method: String = "GET", bucket: String, key: String, expires: Int, contentType: String? = nil,
        response: S3ResponseOverrides = S3ResponseOverrides(), at date: Date = Date()
    ) async throws(AWSError) -> String {
        var url = try url(bucket: bucket, key: key)
        for (name, value) in response.queryItems { url.appendQuery(name, value) }
        let headers: [(name: String, value: String)] = contentType.map { [("content-type", $0)] } ?? []
        let signer = SigV4Signer(credentials: try await client.credentials.credentials(), region: client.region, service: "s3")
        do {
            return try signer.presign(method: method, url: url, headers: headers, expires: expires, at: date).url.description
        } catch {
            throw AWSError.invalidParameter("s3", "expires", error.description)
        }
    }

    /// A browser upload form for `key` (a trailing `${filename}` lets the browser name the file).
    public func presignedPost(
        bucket: String, key: String, fields: [(name: String, value: String)] = [], conditions: [S3PostPolicy.Condition] = [],
        expires: Int, at date: Date = Date()
    ) async throws(AWSError) -> S3PostPolicy {
        var action = try url(bucket: bucket, query: [])
        if action.path.hasSuffix("/") && action.path.count > 1 { action.path.removeLast() }
        let signer = SigV4Signer(credentials: try await client.credentials.credentials(), region: client.region, service: "s3")
        do {
            return try S3PostPolicy(
                url: action, bucket: bucket, key: key, fields: fields, conditions: conditions, expires: expires, signer: signer,
                at: date)
        } catch {
            throw AWSError.invalidParameter("s3", "policy", error.description)
        }
    }
}
