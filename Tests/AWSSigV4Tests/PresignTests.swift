@testable import AWSSigV4
import Foundation
import TestSupport
import Testing

@Suite struct PresignTests {
    static let urlVectors = (try? Vectors.load(PresignVector.self, prefix: "s3_presigned_urls")) ?? []
    static let postVectors = (try? Vectors.load(PostPolicyVector.self, prefix: "s3_presigned_post")) ?? []

    @Test func vectorsArePresent() throws {
        #expect(try Vectors.load(PresignVector.self, prefix: "s3_presigned_urls").count >= 12)
        #expect(try Vectors.load(PostPolicyVector.self, prefix: "s3_presigned_post").count >= 3)
    }

    /// The bucket host comes from the expected URL (botocore's endpoint choice); the key,
    /// the query and every signing step are ours.
    @Test(arguments: urlVectors)
    func presignsLikeBotocore(_ vector: PresignVector) throws {
        let expected = try #require(AWSURL(string: vector.expected.url))
        let bucket = try #require(vector.params["Bucket"])
        let key = try #require(vector.params["Key"])
        let pathStyle = !expected.host.hasPrefix(bucket + ".")
        let path = (pathStyle ? "/" + bucket : "") + "/" + URIEncoding.encode(key, keepSlash: true)
        var url = AWSURL(scheme: expected.scheme, host: expected.host, port: expected.port, path: path)
        let queryParams: [(String, String)] = [
            ("ResponseContentDisposition", "response-content-disposition"), ("ResponseContentType", "response-content-type"),
            ("VersionId", "versionId"),
        ]
        for (param, name) in queryParams { if let value = vector.params[param] { url.appendQuery(name, value) } }
        var headers: [(name: String, value: String)] = []
        if let contentType = vector.params["ContentType"] { headers.append(("content-type", contentType)) }
        let signer = SigV4Signer(credentials: vector.credentials.value, region: vector.region, service: "s3")
        let date = try #require(AMZDate.parse(timestamp: vector.timestamp))
        let method = vector.client_method == "put_object" ? "PUT" : "GET"
        let (signed, signature) = try signer.presign(method: method, url: url, headers: headers, expires: vector.expires_in, at: date)
        #expect(signature.canonicalRequest == vector.expected.canonical_request)
        #expect(signature.stringToSign == vector.expected.string_to_sign)
        #expect(signed.description == vector.expected.url)
    }

    @Test(arguments: postVectors)
    func signsPostPoliciesLikeBotocore(_ vector: PostPolicyVector) throws {
        let expected = try #require(AWSURL(string: vector.expected.url))
        let conditions: [S3PostPolicy.Condition] = try vector.input_conditions.map { condition in
            switch condition {
            case .object(let object):
                let (name, value) = try #require(object.first)
                return .equals(name, value)
            case .array(let items):
                switch (items.first, items.count > 2 ? items[1] : nil, items.last) {
                case (.string("starts-with"), .string(let field), .string(let prefix)):
                    return .startsWith(String(field.dropFirst()), prefix)
                case (.string("content-length-range"), .number(let low), .number(let high)):
                    return .contentLengthRange(low, high)
                default:
                    throw UnknownCondition(vector: vector.id)
                }
            }
        }
        let signer = SigV4Signer(credentials: vector.credentials.value, region: vector.region, service: "s3")
        let policy = try S3PostPolicy(
            url: expected, bucket: vector.bucket, key: vector.key,
            fields: vector.input_fields.map { ($0.key, $0.value) }, conditions: conditions,
            expires: vector.expires_in, signer: signer, at: try #require(AMZDate.parse(timestamp: vector.timestamp)))
        #expect(policy.policyJSON == vector.expected.policy_json)
        #expect(Dictionary(uniqueKeysWithValues: policy.fields.map { ($0.name, $0.value) }) == vector.expected.fields)
        #expect(policy.fields.last?.value == vector.expected.signature)
    }

    @Test func rejectsExpiryOutOfRange() throws {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "A", secretAccessKey: "S"), region: "us-east-1", service: "s3")
        let url = try #require(AWSURL(string: "https://b.s3.amazonaws.com/k"))
        #expect(throws: SigningError.expiryOutOfRange(604_801)) {
            try signer.presign(method: "GET", url: url, expires: 604_801, at: Date())
        }
        #expect(throws: SigningError.invalidCondition("content-length-range 10...1")) {
            try S3PostPolicy(url: url, bucket: "b", key: "k", conditions: [.contentLengthRange(10, 1)], expires: 60, signer: signer, at: Date())
        }
    }

    @Test func quotesLikePythonJSON() {
        #expect(S3PostPolicy.quote("a\"b\\c/é😀\n") == #""a\"b\\c/\u00e9\ud83d\ude00\n""#)
    }
}

struct UnknownCondition: Error { let vector: String }
