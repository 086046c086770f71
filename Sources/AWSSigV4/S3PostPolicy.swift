import FoundationEssentials

/// A browser upload form for S3 (`POST` with a signed policy), as `generate_presigned_post` makes it.
public struct S3PostPolicy: Sendable {
    /// One policy condition.
    public enum Condition: Sendable, Equatable {
        /// The form field must equal the value (`{"field": "value"}`).
        case equals(String, String)
        /// The form field must start with the prefix (`["starts-with", "$field", "prefix"]`).
        case startsWith(String, String)
        /// The upload's size in bytes must lie in the range.
        case contentLengthRange(Int, Int)

        var field: String? {
            switch self {
            case .equals(let name, _), .startsWith(let name, _): name.lowercased()
            case .contentLengthRange: nil
            }
        }
    }

    /// Form fields to send with the file, in order; `policy` and `x-amz-signature` last.
    public let fields: [(name: String, value: String)]
    /// The form's action URL.
    public let url: AWSURL
    /// The policy document as signed (before base64).
    public let policyJSON: String

    /// Builds and signs the form for `key` (a trailing `${filename}` becomes a `starts-with` condition).
    ///
    /// Conditions on `bucket` and `key` are added unless the caller gave them.
    public init(
        url: AWSURL, bucket: String, key: String, fields extra: [(name: String, value: String)] = [],
        conditions: [Condition] = [], expires: Int, signer: SigV4Signer, at date: Date
    ) throws(SigningError) {
        guard (1...604_800).contains(expires) else { throw .expiryOutOfRange(expires) }
        for condition in conditions {
            switch condition {
            case .equals(let name, _), .startsWith(let name, _):
                if name.isEmpty { throw .invalidCondition("empty field name") }
            case .contentLengthRange(let low, let high):
                if low < 0 || high < low { throw .invalidCondition("content-length-range \(low)...\(high)") }
            }
        }
        let time = AMZDate(date)
        var conditions = conditions
        if !conditions.contains(where: { $0.field == "bucket" }) { conditions.append(.equals("bucket", bucket)) }
        if !conditions.contains(where: { $0.field == "key" }) {
            let placeholder = "${filename}"
            conditions.append(
                key.hasSuffix(placeholder) ? .startsWith("key", String(key.dropLast(placeholder.count))) : .equals("key", key))
        }
        var fields = extra + [("key", key)]
        var signerFields: [(name: String, value: String)] = [
            ("x-amz-algorithm", SigV4Signer.algorithm),
            ("x-amz-credential", "\(signer.credentials.accessKeyID)/\(signer.scope(time))"),
            ("x-amz-date", time.timestamp),
        ]
        if let token = signer.credentials.sessionToken { signerFields.append(("x-amz-security-token", token)) }
        conditions += signerFields.map { .equals($0.name, $0.value) }
        fields += signerFields

        let expiration = AMZDate(date.addingTimeInterval(TimeInterval(expires))).iso8601
        let policy = "{\"expiration\": \(Self.quote(expiration)), \"conditions\": [\(conditions.map(Self.render).joined(separator: ", "))]}"
        let encoded = Data(policy.utf8).base64EncodedString()
        fields.append(("policy", encoded))
        fields.append(("x-amz-signature", signer.signature(of: encoded, at: time)))
        self.fields = fields
        self.url = url
        self.policyJSON = policy
    }

    static func render(_ condition: Condition) -> String {
        switch condition {
        case .equals(let name, let value): "{\(quote(name)): \(quote(value))}"
        case .startsWith(let name, let prefix): "[\"starts-with\", \(quote("$" + name)), \(quote(prefix))]"
        case .contentLengthRange(let low, let high): "[\"content-length-range\", \(low), \(high)]"
        }
    }

    /// JSON string literal with ASCII-only output (the same bytes Python's `json.dumps` gives).
    static func quote(_ string: String) -> String {
        var out = "\""
        for unit in string.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}
