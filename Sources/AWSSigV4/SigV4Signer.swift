import FoundationEssentials

/// Signs requests with AWS Signature Version 4. Pure: the instant to sign at is a parameter.
public struct SigV4Signer: Sendable {
    /// How the canonical URI is formed.
    public enum Profile: Sendable {
        /// S3: path used as sent; `x-amz-content-sha256` added and signed.
        case s3
        /// Every other service: path normalised and percent-encoded a second time.
        case standard
    }

    /// What the canonical request's payload line says.
    public enum Payload: Sendable {
        /// The hex SHA-256 of the body.
        case hash(String)
        /// S3's `UNSIGNED-PAYLOAD`, for bodies streamed without hashing first.
        case unsigned

        /// The payload of an empty body.
        public static let empty = Payload.hash(SigV4Signer.emptyBodyHash)

        /// The payload of a body held in memory.
        public static func bytes(_ body: some ContiguousBytes) -> Payload { .hash(Hex.encode(SHA256.hash(body))) }

        var line: String {
            switch self {
            case .hash(let value): value
            case .unsigned: "UNSIGNED-PAYLOAD"
            }
        }
    }

    /// Every intermediate of one signature, for callers and for tests against vectors.
    public struct Signature: Sendable {
        /// The canonical request.
        public let canonicalRequest: String
        /// The string to sign.
        public let stringToSign: String
        /// `;`-joined signed header names.
        public let signedHeaders: String
        /// Hex signature.
        public let signature: String
        /// The `Authorization` header value (empty for presigned URLs).
        public let authorization: String
        /// Headers the signer adds to the request, `Authorization` last.
        public let headers: [(name: String, value: String)]
    }

    /// SHA-256 of the empty string.
    public static let emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let algorithm = "AWS4-HMAC-SHA256"
    /// Headers SDKs never sign: transport ones a proxy or libcurl may change.
    static let unsignedHeaders: Set<String> = [
        "user-agent", "expect", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "x-amzn-trace-id", "content-length", "authorization",
    ]

    /// The credentials signed with.
    public let credentials: AWSCredentials
    /// Signing region.
    public let region: String
    /// Signing name (`s3`, `dynamodb`, `states`, `ses`, …).
    public let service: String
    /// Canonical URI rules.
    public let profile: Profile

    /// Creates a signer for one service and region.
    public init(credentials: AWSCredentials, region: String, service: String, profile: Profile? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.profile = profile ?? (service == "s3" ? .s3 : .standard)
    }

    /// Signs a request for header authentication at `date`.
    public func sign(
        method: String, url: AWSURL, headers: [(name: String, value: String)], payload: Payload, at date: Date
    ) -> Signature {
        let time = AMZDate(date)
        var added: [(name: String, value: String)] = [("X-Amz-Date", time.timestamp)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        if profile == .s3, !headers.contains(where: { $0.name.lowercased() == "x-amz-content-sha256" }) {
            added.append(("X-Amz-Content-SHA256", payload.line))
        }
        let all = [("host", url.hostHeader)] + headers + added
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(all)
        let canonicalRequest = [
            method.uppercased(), canonicalURI(url.path), Self.canonicalQuery(url.query), canonicalHeaders, signedHeaders,
            payload.line,
        ].joined(separator: "\n")
        let (stringToSign, signature) = finish(canonicalRequest, time: time)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(time)), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        added.append(("Authorization", authorization))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders,
            signature: signature, authorization: authorization, headers: added)
    }

    /// A presigned URL valid for `expires` seconds (1 to 604800) from `date`.
    public func presign(
        method: String, url: AWSURL, headers: [(name: String, value: String)] = [], expires: Int, at date: Date
    ) throws(SigningError) -> (url: AWSURL, signature: Signature) {
        guard (1...604_800).contains(expires) else { throw .expiryOutOfRange(expires) }
        let time = AMZDate(date)
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders([("host", url.hostHeader)] + headers)
        var signed = url
        signed.appendQuery("X-Amz-Algorithm", Self.algorithm)
        signed.appendQuery("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(time))")
        signed.appendQuery("X-Amz-Date", time.timestamp)
        signed.appendQuery("X-Amz-Expires", String(expires))
        signed.appendQuery("X-Amz-SignedHeaders", signedHeaders)
        if let token = credentials.sessionToken { signed.appendQuery("X-Amz-Security-Token", token) }
        let payload = profile == .s3 ? Payload.unsigned : .empty
        let canonicalRequest = [
            method.uppercased(), canonicalURI(url.path), Self.canonicalQuery(signed.query), canonicalHeaders,
            signedHeaders, payload.line,
        ].joined(separator: "\n")
        let (stringToSign, signature) = finish(canonicalRequest, time: time)
        signed.appendQuery("X-Amz-Signature", signature)
        return (
            signed,
            Signature(
                canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders,
                signature: signature, authorization: "", headers: [])
        )
    }

    /// The credential scope `yyyymmdd/region/service/aws4_request`.
    public func scope(_ time: AMZDate) -> String { "\(time.day)/\(region)/\(service)/aws4_request" }

    /// The derived signing key for the day of `time`.
    public func signingKey(_ time: AMZDate) -> [UInt8] {
        let kDate = HMACSHA256.authenticate(time.day, key: Array("AWS4\(credentials.secretAccessKey)".utf8))
        let kRegion = HMACSHA256.authenticate(region, key: kDate)
        let kService = HMACSHA256.authenticate(service, key: kRegion)
        return HMACSHA256.authenticate("aws4_request", key: kService)
    }

    /// Hex HMAC of `stringToSign` under the day's signing key (POST policies sign the base64 policy).
    public func signature(of stringToSign: String, at time: AMZDate) -> String {
        Hex.encode(HMACSHA256.authenticate(stringToSign, key: signingKey(time)))
    }

    private func finish(_ canonicalRequest: String, time: AMZDate) -> (stringToSign: String, signature: String) {
        let stringToSign = [Self.algorithm, time.timestamp, scope(time), Hex.encode(SHA256.hash(canonicalRequest))]
            .joined(separator: "\n")
        return (stringToSign, signature(of: stringToSign, at: time))
    }

    func canonicalURI(_ path: String) -> String {
        switch profile {
        case .s3: return path.isEmpty ? "/" : path
        case .standard: return URIEncoding.encode(Self.normalize(path), keepSlash: true)
        }
    }

    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let joined = "/" + segments.joined(separator: "/")
        return path.hasSuffix("/") && !segments.isEmpty ? joined + "/" : joined
    }

    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (URIEncoding.encode(URIEncoding.decode($0.name)), URIEncoding.encode(URIEncoding.decode($0.value))) }
            .sorted { ($0.0.utf8.lexicographicallyPrecedes($1.0.utf8)) || ($0.0 == $1.0 && $0.1.utf8.lexicographicallyPrecedes($1.1.utf8)) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (canonical: String, signed: String) {
        var grouped: [String: [String]] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            guard !unsignedHeaders.contains(key) else { continue }
            grouped[key, default: []].append(collapseWhitespace(value))
        }
        let names = grouped.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonical = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    static func collapseWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}

/// Why a request could not be signed.
public enum SigningError: Error, Equatable, CustomStringConvertible {
    /// A presigned URL's expiry must be 1 to 604800 seconds.
    case expiryOutOfRange(Int)
    /// A POST policy condition names no field or has an impossible range.
    case invalidCondition(String)

    public var description: String {
        switch self {
        case .expiryOutOfRange(let value): "expires must be 1...604800 seconds, got \(value)"
        case .invalidCondition(let text): "invalid POST policy condition: \(text)"
        }
    }
}
