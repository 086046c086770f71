import AWSCore
import AWSSigV4
import HTTPTransport

extension AWSService {
    /// Amazon S3.
    public static let s3 = AWSService(name: "s3", signingName: "s3", hostPrefix: "s3", endpointKey: "S3")
}

/// Amazon S3: the object operations GAS uses.
public struct S3Client: Sendable {
    let client: AWSClient

    /// A client on `client`'s region, credentials and endpoints.
    public init(client: AWSClient) { self.client = client }

    /// The URL of a bucket or object: virtual-hosted on AWS, path-style on a custom endpoint or for
    /// bucket names that are not DNS labels.
    func url(bucket: String, key: String? = nil, query: [(name: String, value: String)] = []) throws(AWSError) -> AWSURL {
        guard !bucket.isEmpty else { throw AWSError.invalidParameter("s3", "bucket", "a bucket name") }
        if let key, key.isEmpty { throw AWSError.invalidParameter("s3", "key", "a non-empty object key") }
        var (url, custom) = try client.endpoint(for: .s3)
        let encodedKey = key.map { "/" + URIEncoding.encode($0, keepSlash: true) } ?? (query.isEmpty ? "" : "/")
        if custom || !Self.isVirtualHostable(bucket) {
            url.path += "/" + URIEncoding.encode(bucket) + encodedKey
        } else {
            url.host = "\(bucket).\(url.host)"
            url.path += encodedKey.isEmpty ? "/" : encodedKey
        }
        url.query = query
        return url
    }

    static func isVirtualHostable(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.count), !bucket.contains("."), bucket.first != "-", bucket.last != "-" else { return false }
        return bucket.allSatisfy { $0.isLowercase && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "-" }
    }

    func send(
        _ method: String, _ url: AWSURL, headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty,
        payload: SigV4Signer.Payload? = nil, idempotent: Bool = true, sink: (any HTTPBodySink)? = nil, timeout: Double? = 60,
        stallTimeout: Double = 30
    ) async throws(AWSError) -> HTTPResponse {
        try await client.send(
            AWSRequest(
                service: .s3, method: method, url: url, headers: headers, body: body, payload: payload, idempotent: idempotent,
                responseSink: sink, timeout: timeout, stallTimeout: stallTimeout))
    }

    /// How long a server-side copy may go quiet: S3 sends nothing but the odd space while it copies
    /// up to 5 GB, so longer than a plain call, but bounded (a stalled copy used to hang until the Lambda timeout).
    static let copyStallTimeout = 120.0

    /// Parses an XML body; S3 sometimes answers 200 with an `<Error>` document (copies, completions).
    func xml(_ response: HTTPResponse) throws(AWSError) -> XMLNode {
        let root = try client.decodeXML(response, service: .s3)
        if root.name == "Error" {
            var error = AWSError.decode(response, service: "s3")
            error.status = 200
            throw error
        }
        return root
    }
}
