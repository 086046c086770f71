import Foundation
import Testing

/// One entry of `s3_presigned_urls*.json`.
struct PresignVector: Decodable, CustomTestStringConvertible, Sendable {
    struct Expected: Decodable, Sendable {
        let canonical_request: String
        let string_to_sign: String
        let signature: String
        let url: String
    }
    let id: String
    let client_method: String
    let params: [String: String]
    let region: String
    let timestamp: String
    let expires_in: Int
    let credentials: SigV4RequestVector.Credentials
    let expected: Expected

    var testDescription: String { id }
}

/// One entry of `s3_presigned_post*.json`.
struct PostPolicyVector: Decodable, CustomTestStringConvertible, Sendable {
    enum Condition: Decodable, Sendable {
        case object([String: String])
        case array([JSONScalar])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let object = try? container.decode([String: String].self) {
                self = .object(object)
            } else {
                self = .array(try container.decode([JSONScalar].self))
            }
        }
    }
    enum JSONScalar: Decodable, Sendable {
        case string(String)
        case number(Int)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .string(try container.decode(String.self)) }
        }
    }
    struct Expected: Decodable, Sendable {
        let url: String
        let fields: [String: String]
        let policy_json: String
        let signature: String
    }
    let id: String
    let bucket: String
    let key: String
    let region: String
    let timestamp: String
    let expires_in: Int
    let credentials: SigV4RequestVector.Credentials
    let input_fields: [String: String]
    let input_conditions: [Condition]
    let expected: Expected

    var testDescription: String { id }
}
