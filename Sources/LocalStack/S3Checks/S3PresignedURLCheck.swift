import AWSSigV4
import Foundation

/// S3's checks on a query-signed (presigned) request: the credential, the expiry window and the
/// signature over the request as received.
struct S3PresignedURLCheck {
    let credentials: [String: AWSCredentials]

    static let signingParameters: Set<String> = [
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
    ]

    /// Whether `target` (path and query) is query-signed.
    static func applies(to target: String) -> Bool {
        guard let mark = target.firstIndex(of: "?") else { return false }
        return target[target.index(after: mark)...].split(separator: "&").contains { $0.hasPrefix("X-Amz-Algorithm=") || $0.hasPrefix("X-Amz-Signature=") }
    }

    /// Refuses the request (`method`, `target` as on the request line, `headers` with lower-case
    /// names) as S3 would at `now`; returns when S3 would serve it.
    func check(method: String, target: String, headers: [String: String], now: Date) throws(S3Refusal) {
        guard let host = headers["host"], let url = AWSURL(string: "http://\(host)\(target)") else {
            throw .queryParameters("The request has no usable Host header.")
        }
        var parameters: [String: String] = [:]
        for (name, value) in url.query where Self.signingParameters.contains(name) {
            parameters[name] = URIEncoding.decode(value)
        }
        guard parameters["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256" else {
            throw .queryParameters("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        let required = ["X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"]
        if let missing = required.first(where: { parameters[$0] == nil }) {
            throw .queryParameters("Query-string authentication version 4 requires the \(required.joined(separator: ", ")) parameters; \(missing) is missing.")
        }
        guard let credential = SigV4CredentialField(parameters["X-Amz-Credential"]!) else {
            throw .queryParameters("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
        }
        guard let signedAt = AMZDate.parse(timestamp: parameters["X-Amz-Date"]!), AMZDate(signedAt).day == credential.day else {
            throw .queryParameters("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\" on the credential's day.")
        }
        guard let expires = Int(parameters["X-Amz-Expires"]!), expires >= 1 else {
            throw .queryParameters("X-Amz-Expires should be a number of seconds from 1 to 604800")
        }
        guard expires <= 604_800 else {
            throw .queryParameters("X-Amz-Expires must be less than a week (in seconds) that is; 604800")
        }
        guard let secret = credentials[credential.accessKeyID] else { throw .unknownKey(credential.accessKeyID) }
        let expiry = signedAt.addingTimeInterval(TimeInterval(expires))
        guard now <= expiry else {
            var refusal = S3Refusal.accessDenied("Request has expired")
            refusal.details = [
                ("X-Amz-Expires", String(expires)), ("Expires", AMZDate(expiry).iso8601), ("ServerTime", AMZDate(now).iso8601),
            ]
            throw refusal
        }
        if let token = secret.sessionToken, parameters["X-Amz-Security-Token"] != token {
            throw S3Refusal(status: 400, code: "InvalidToken", message: "The provided token is malformed or otherwise invalid.")
        }
        // Sign again what arrived, without the signing parameters the signer adds itself.
        var unsigned = url
        unsigned.query = url.query.filter { !Self.signingParameters.contains($0.name) }
        var signedHeaders: [(name: String, value: String)] = []
        for name in parameters["X-Amz-SignedHeaders"]!.split(separator: ";").map(String.init) where name != "host" {
            guard let value = headers[name] else {
                throw .accessDenied("There were headers present in the request which were not signed: \(name) is signed but missing")
            }
            signedHeaders.append((name, value))
        }
        let signer = SigV4Signer(credentials: secret, region: credential.region, service: credential.service)
        guard let (_, expected) = try? signer.presign(method: method, url: unsigned, headers: signedHeaders, expires: expires, at: signedAt)
        else { throw .queryParameters("X-Amz-Expires should be a number of seconds from 1 to 604800") }
        let provided = parameters["X-Amz-Signature"]!
        guard expected.signature == provided.lowercased() else {
            throw .signatureMismatch(
                accessKeyID: credential.accessKeyID, stringToSign: expected.stringToSign, provided: provided,
                canonicalRequest: expected.canonicalRequest)
        }
    }
}
