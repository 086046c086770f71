import Testing
import AWSSigV4
import Foundation
import TestSupport

/// One entry of `sigv4_requests*.json`.
struct SigV4RequestVector: Decodable, CustomTestStringConvertible, Sendable {
    struct Credentials: Decodable, Sendable {
        let access_key_id: String
        let secret_access_key: String
        let session_token: String?
        var value: AWSCredentials { AWSCredentials(accessKeyID: access_key_id, secretAccessKey: secret_access_key, sessionToken: session_token) }
    }
    struct Pattern: Decodable, Sendable { let size: Int; let seed: Int }
    struct Request: Decodable, Sendable {
        let method: String
        let url: String
        let headers: [[String]]
        let body_base64: String?
        let body_pattern: Pattern?
        let body_sha256: String
    }
    struct Expected: Decodable, Sendable {
        let canonical_request: String
        let string_to_sign: String
        let signature: String
        let authorization: String
        let signing_key_hex: String
    }
    let id: String
    let signer_profile: String
    let payload_signing: String
    let signing_name: String
    let region: String
    let timestamp: String
    let credentials: Credentials
    let request: Request
    let headers_added_by_signer: [[String]]
    let expected: Expected

    var testDescription: String { id }

    var body: [UInt8] {
        if let base64 = request.body_base64 { return Array(Data(base64Encoded: base64)!) }
        if let pattern = request.body_pattern { return Vectors.patternBytes(size: pattern.size, seed: pattern.seed) }
        return []
    }
}


