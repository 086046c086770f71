import AWSSigV4
import Foundation

/// S3's checks on a browser upload (`POST` to a bucket with a signed policy): the signature over
/// the base64 policy, its expiry, every condition, and that no field goes unchecked.
struct S3PostPolicyCheck {
    let credentials: [String: AWSCredentials]

    /// Refuses `form` (posted to `bucket` at `now`) as S3 would; returns when S3 would store it.
    func check(_ form: MultipartForm, bucket: String, now: Date) throws(S3Refusal) {
        // S3 reads fields up to the file; what follows the file is ignored.
        guard let fileIndex = form.parts.firstIndex(where: { $0.name.lowercased() == "file" }) else {
            throw .invalidArgument("POST requires exactly one file upload per request.", name: "file", value: "0")
        }
        let file = form.parts[fileIndex]
        let fields = Array(form.parts[..<fileIndex])
        func value(_ name: String) -> String? { fields.first { $0.name.lowercased() == name }?.text }

        guard value("key") != nil else {
            throw .invalidArgument(
                "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", name: "key", value: "")
        }
        guard let encodedPolicy = value("policy") else { throw .accessDenied() }
        guard let algorithm = value("x-amz-algorithm"), algorithm == "AWS4-HMAC-SHA256" else {
            throw .invalidArgument("Unsupported or missing x-amz-algorithm.", name: "x-amz-algorithm", value: value("x-amz-algorithm") ?? "")
        }
        guard let credentialField = value("x-amz-credential"), let credential = SigV4CredentialField(credentialField), credential.service == "s3" else {
            throw .invalidArgument(
                "Invalid x-amz-credential: expected ACCESS_KEY/yyyymmdd/region/s3/aws4_request.", name: "x-amz-credential",
                value: value("x-amz-credential") ?? "")
        }
        guard let dateField = value("x-amz-date"), let signedAt = AMZDate.parse(timestamp: dateField), AMZDate(signedAt).day == credential.day else {
            throw .invalidArgument(
                "Invalid x-amz-date: expected yyyymmddThhmmssZ on the credential's day.", name: "x-amz-date", value: value("x-amz-date") ?? "")
        }
        guard let secret = credentials[credential.accessKeyID] else { throw .unknownKey(credential.accessKeyID) }
        if let token = secret.sessionToken, value("x-amz-security-token") != token {
            throw S3Refusal(status: 400, code: "InvalidToken", message: "The provided token is malformed or otherwise invalid.")
        }
        let signer = SigV4Signer(credentials: secret, region: credential.region, service: "s3")
        let provided = value("x-amz-signature") ?? ""
        guard signer.signature(of: encodedPolicy, at: AMZDate(signedAt)) == provided.lowercased() else {
            throw .signatureMismatch(accessKeyID: credential.accessKeyID, stringToSign: encodedPolicy, provided: provided)
        }

        let policy = try S3PolicyDocument(base64: encodedPolicy)
        guard now < policy.expiration else { throw .policy("Policy expired.") }
        for condition in policy.conditions {
            try condition.check(fields: fields, bucket: bucket, fileSize: file.value.count)
        }
        let covered = Set(policy.conditions.compactMap(\.field))
        let unchecked = fields.map { $0.name.lowercased() }.filter {
            !["policy", "x-amz-signature"].contains($0) && !$0.hasPrefix("x-ignore-") && !covered.contains($0)
        }
        if let first = unchecked.first { throw .policy("Extra input fields: \(first)") }
    }
}

/// `ACCESS_KEY/yyyymmdd/region/service/aws4_request`.
struct SigV4CredentialField {
    let accessKeyID: String
    let day: String
    let region: String
    let service: String

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty, parts[1].count == 8, parts[1].allSatisfy(\.isNumber), !parts[2].isEmpty,
            parts[4] == "aws4_request"
        else { return nil }
        (accessKeyID, day, region, service) = (parts[0], parts[1], parts[2], parts[3])
    }
}

/// The decoded policy: an expiration and conditions.
struct S3PolicyDocument {
    enum Condition {
        case equals(String, String)
        case startsWith(String, String)
        case contentLengthRange(Int, Int)

        /// The field it constrains, lower case.
        var field: String? {
            switch self {
            case .equals(let name, _), .startsWith(let name, _): name
            case .contentLengthRange: nil
            }
        }

        func check(fields: [MultipartForm.Part], bucket: String, fileSize: Int) throws(S3Refusal) {
            switch self {
            case .contentLengthRange(let low, let high):
                if fileSize > high {
                    throw S3Refusal(
                        status: 400, code: "EntityTooLarge", message: "Your proposed upload exceeds the maximum allowed size",
                        details: [("ProposedSize", String(fileSize)), ("MaxSizeAllowed", String(high))])
                }
                if fileSize < low {
                    throw S3Refusal(
                        status: 400, code: "EntityTooSmall", message: "Your proposed upload is smaller than the minimum allowed size",
                        details: [("ProposedSize", String(fileSize)), ("MinSizeAllowed", String(low))])
                }
            case .equals(let name, let expected):
                let actual = name == "bucket" ? bucket : fields.first { $0.name.lowercased() == name }?.text
                if actual != expected { throw .policy("Policy Condition failed: [\"eq\", \"$\(name)\", \(Self.quote(expected))]") }
            case .startsWith(let name, let prefix):
                let actual = name == "bucket" ? bucket : fields.first { $0.name.lowercased() == name }?.text
                guard let actual, actual.hasPrefix(prefix) else {
                    throw .policy("Policy Condition failed: [\"starts-with\", \"$\(name)\", \(Self.quote(prefix))]")
                }
            }
        }

        static func quote(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    let expiration: Date
    let conditions: [Condition]

    init(base64: String) throws(S3Refusal) {
        let invalid = S3Refusal(status: 400, code: "InvalidPolicyDocument", message: "Invalid Policy: Invalid JSON.")
        guard let data = Data(base64Encoded: base64), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw invalid
        }
        guard let text = object["expiration"] as? String, let expiration = Self.parseISO8601(text) else {
            throw S3Refusal(status: 400, code: "InvalidPolicyDocument", message: "Invalid Policy: Invalid 'expiration' value: '\(object["expiration"] ?? "")'")
        }
        guard let list = object["conditions"] as? [Any] else {
            throw S3Refusal(status: 400, code: "InvalidPolicyDocument", message: "Invalid Policy: Policy missing conditions.")
        }
        var conditions: [Condition] = []
        for item in list {
            if let pairs = item as? [String: Any] {
                for (name, value) in pairs {
                    guard let value = value as? String else { throw S3Refusal(status: 400, code: "InvalidPolicyDocument", message: "Invalid Policy: Invalid Simple-Condition: value must be a string.") }
                    conditions.append(.equals(name.lowercased(), value))
                }
            } else if let array = item as? [Any], let operation = (array.first as? String)?.lowercased(), array.count == 3 {
                switch operation {
                case "eq", "starts-with":
                    guard let name = array[1] as? String, name.hasPrefix("$"), let value = array[2] as? String else { throw invalid }
                    let field = String(name.dropFirst()).lowercased()
                    conditions.append(operation == "eq" ? .equals(field, value) : .startsWith(field, value))
                case "content-length-range":
                    guard let low = (array[1] as? NSNumber)?.intValue, let high = (array[2] as? NSNumber)?.intValue else { throw invalid }
                    conditions.append(.contentLengthRange(low, high))
                default:
                    throw S3Refusal(status: 400, code: "InvalidPolicyDocument", message: "Invalid Policy: Invalid Condition: unknown operation '\(operation)'.")
                }
            } else {
                throw S3Refusal(status: 400, code: "InvalidPolicyDocument", message: "Invalid Policy: Invalid Condition.")
            }
        }
        self.expiration = expiration
        self.conditions = conditions
    }

    /// `yyyy-MM-ddTHH:mm:ss[.fff]Z`.
    static func parseISO8601(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = Double(String(decoding: bytes[17..<(bytes.count - 1)], as: UTF8.self))
        else { return nil }
        return AMZDate.civilDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }
}
