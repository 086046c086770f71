import AWSSigV4
import Foundation
import HTTPTransport
import LocalLambda
import LocalServer
@testable import LocalStack
import TestSupport
import Testing

/// The shared vectors' credentials.
struct VectorCredentials: Decodable, Sendable {
    let access_key_id: String
    let secret_access_key: String
    let session_token: String?

    var credentials: AWSCredentials { AWSCredentials(accessKeyID: access_key_id, secretAccessKey: secret_access_key, sessionToken: session_token) }
}

/// One entry of `s3_presigned_post*.json`: what the checks need of it.
struct PostVector: Decodable, CustomTestStringConvertible, Sendable {
    struct Expected: Decodable, Sendable {
        let url: String
        let fields: [String: String]
        let policy_expiration: String
    }
    let id: String
    let bucket: String
    let timestamp: String
    let credentials: VectorCredentials
    let expected: Expected

    var testDescription: String { id }
    var signedAt: Date { AMZDate.parse(timestamp: timestamp)! }
    var target: String { AWSURL(string: expected.url)!.path.isEmpty ? "/" : AWSURL(string: expected.url)!.path }
    var host: String { AWSURL(string: expected.url)!.hostHeader }
}

/// One entry of `s3_presigned_urls*.json`.
struct URLVector: Decodable, CustomTestStringConvertible, Sendable {
    struct Expected: Decodable, Sendable { let url: String }
    let id: String
    let params: [String: String]
    let timestamp: String
    let expires_in: Int
    let credentials: VectorCredentials
    let expected: Expected

    var testDescription: String { id }
    var signedAt: Date { AMZDate.parse(timestamp: timestamp)! }
    var method: String { params["ContentType"] == nil ? "GET" : "PUT" }
    var url: AWSURL { AWSURL(string: expected.url)! }
    var target: String { url.path + "?" + url.queryString }
    var headers: [String: String] {
        var headers = ["host": url.hostHeader]
        if let type = params["ContentType"] { headers["content-type"] = type }
        return headers
    }
}

func multipart(_ fields: [(String, String)], file: [UInt8]?, fileName: String = "sample.vcf") -> [UInt8] {
    MultipartBody(fields, file: file, fileName: fileName).bytes
}

let formType = MultipartBody.contentType

@Suite struct S3PostPolicyCheckTests {
    static let vectors = (try? Vectors.load(PostVector.self, prefix: "s3_presigned_post")) ?? []

    func refusal(_ vector: PostVector, fields: [(String, String)]? = nil, file: [UInt8]? = [1, 2, 3], at offset: TimeInterval = 1,
                 target: String? = nil, credentials: [AWSCredentials]? = nil) -> S3Refusal? {
        let checks = S3RequestChecks(credentials: credentials ?? [vector.credentials.credentials]) { vector.signedAt.addingTimeInterval(offset) }
        let body = multipart(fields ?? vector.expected.fields.sorted { $0.key < $1.key }, file: file)
        return checks.refusal(method: "POST", target: target ?? vector.target, headers: ["host": vector.host, "content-type": formType], body: body)
    }

    @Test func theVectorsAreThere() throws {
        #expect(try Vectors.load(PostVector.self, prefix: "s3_presigned_post").count >= 3)
    }

    @Test(arguments: vectors) func botocoresFormIsAccepted(_ vector: PostVector) {
        #expect(refusal(vector) == nil)
    }

    @Test(arguments: vectors) func anExpiredPolicyIsRefused(_ vector: PostVector) {
        let expiry = S3PolicyDocument.parseISO8601(vector.expected.policy_expiration)!
        #expect(refusal(vector, at: expiry.timeIntervalSince(vector.signedAt) + 1) == .policy("Policy expired."))
    }

    @Test(arguments: vectors) func aForgedSignatureIsRefused(_ vector: PostVector) {
        var fields = vector.expected.fields
        fields["x-amz-signature"] = String(repeating: "0", count: 64)
        #expect(refusal(vector, fields: fields.sorted { $0.key < $1.key })?.code == "SignatureDoesNotMatch")
    }

    @Test(arguments: vectors) func aRewrittenPolicyIsRefused(_ vector: PostVector) throws {
        // Widen the policy (a forger's move) and keep the signature of the original.
        var fields = vector.expected.fields
        let original = String(decoding: Data(base64Encoded: fields["policy"]!)!, as: UTF8.self)
        fields["policy"] = Data(original.replacingOccurrences(of: "\"conditions\": [", with: "\"conditions\": [[\"starts-with\", \"$x-amz-meta-a\", \"\"], ").utf8).base64EncodedString()
        #expect(refusal(vector, fields: fields.sorted { $0.key < $1.key })?.code == "SignatureDoesNotMatch")
    }

    @Test(arguments: vectors) func anUnknownAccessKeyIsRefused(_ vector: PostVector) {
        let other = AWSCredentials(accessKeyID: "AKIAOTHER", secretAccessKey: "x")
        #expect(refusal(vector, credentials: [other])?.code == "InvalidAccessKeyId")
    }

    @Test(arguments: vectors) func aFieldThePolicyDoesNotNameIsRefused(_ vector: PostVector) {
        let fields = vector.expected.fields.sorted { $0.key < $1.key } + [("x-amz-meta-extra", "1")]
        #expect(refusal(vector, fields: fields) == .policy("Extra input fields: x-amz-meta-extra"))
        // x-ignore- fields are S3's exception.
        #expect(refusal(vector, fields: vector.expected.fields.sorted { $0.key < $1.key } + [("x-ignore-submit", "Upload")]) == nil)
    }

    @Test(arguments: vectors) func aFormWithoutAFileOrKeyIsRefused(_ vector: PostVector) {
        #expect(refusal(vector, file: nil)?.code == "InvalidArgument")
        #expect(refusal(vector, fields: vector.expected.fields.filter { $0.key != "key" }.sorted { $0.key < $1.key })?.code == "InvalidArgument")
    }

    @Test func theSizeRangeIsEnforcedOnTheFile() throws {
        let vector = try #require(Self.vectors.first { $0.id == "post-basic-filename-placeholder" })
        let tooLarge = refusal(vector, file: [UInt8](repeating: 65, count: 10_485_761))
        #expect(tooLarge?.code == "EntityTooLarge" && tooLarge?.status == 400)
        #expect(tooLarge?.details.first { $0.0 == "MaxSizeAllowed" }?.1 == "10485760")
        #expect(refusal(vector, file: [UInt8](repeating: 65, count: 10_485_760)) == nil)
        #expect(refusal(vector, file: [])?.code == "EntityTooSmall")
    }

    @Test func startsWithAndEqualsConditionsAreEnforced() throws {
        let vector = try #require(Self.vectors.first { $0.id == "post-basic-filename-placeholder" })
        var fields = vector.expected.fields
        fields["Content-Type"] = "text/html"
        #expect(refusal(vector, fields: fields.sorted { $0.key < $1.key }) == .policy(#"Policy Condition failed: ["starts-with", "$content-type", "image/"]"#))
        fields = vector.expected.fields
        fields["key"] = "elsewhere/x.png"
        #expect(refusal(vector, fields: fields.sorted { $0.key < $1.key }) == .policy(#"Policy Condition failed: ["starts-with", "$key", "uploads/"]"#))
        fields = vector.expected.fields
        fields["success_action_status"] = "200"
        #expect(refusal(vector, fields: fields.sorted { $0.key < $1.key }) == .policy(#"Policy Condition failed: ["eq", "$success_action_status", "201"]"#))
    }

    @Test func theBucketConditionIsTheBucketPostedTo() throws {
        let vector = try #require(Self.vectors.first { $0.id == "post-path-style-local" })
        #expect(refusal(vector, target: "/other-bucket") == .policy(#"Policy Condition failed: ["eq", "$bucket", "local-bucket"]"#))
    }

    @Test func aBrokenBodyIsMalformed() throws {
        let vector = try #require(Self.vectors.first)
        let checks = S3RequestChecks(credentials: [vector.credentials.credentials]) { vector.signedAt }
        let body = Array("------WebKitFormBoundaryGAS7x\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nno end".utf8)
        #expect(checks.refusal(method: "POST", target: vector.target, headers: ["host": vector.host, "content-type": formType], body: body)?.code == "MalformedPOSTRequest")
    }

    @Test func fileNamesWithQuotesAndSemicolonsSurviveTheParser() throws {
        let body = multipart([("key", "k")], file: [9], fileName: #"a;b \"c\".vcf"#)
        let form = try MultipartForm(body: body, contentType: formType)
        #expect(form.field("file")?.fileName == #"a;b "c".vcf"#)
        #expect(form.field("KEY")?.text == "k")
    }
}

@Suite struct S3PresignedURLCheckTests {
    static let vectors = (try? Vectors.load(URLVector.self, prefix: "s3_presigned_urls")) ?? []

    func refusal(_ vector: URLVector, target: String? = nil, headers: [String: String]? = nil, at offset: TimeInterval = 1, method: String? = nil) -> S3Refusal? {
        let checks = S3RequestChecks(credentials: [vector.credentials.credentials]) { vector.signedAt.addingTimeInterval(offset) }
        return checks.refusal(method: method ?? vector.method, target: target ?? vector.target, headers: headers ?? vector.headers, body: [])
    }

    @Test func theVectorsAreThere() throws {
        #expect(try Vectors.load(URLVector.self, prefix: "s3_presigned_urls").count >= 12)
    }

    @Test(arguments: vectors) func botocoresURLIsAccepted(_ vector: URLVector) {
        #expect(refusal(vector) == nil)
        #expect(refusal(vector, at: TimeInterval(vector.expires_in)) == nil)
    }

    @Test(arguments: vectors) func anExpiredURLIsRefusedWithItsTimes(_ vector: URLVector) {
        let refused = refusal(vector, at: TimeInterval(vector.expires_in + 1))
        #expect(refused == .accessDenied("Request has expired"))
        #expect(refused?.details.first { $0.0 == "X-Amz-Expires" }?.1 == String(vector.expires_in))
    }

    @Test(arguments: vectors) func anotherKeyOrMethodUnderTheSameSignatureIsRefused(_ vector: URLVector) {
        let url = vector.url
        let target = url.path + "x?" + url.queryString
        #expect(refusal(vector, target: target)?.code == "SignatureDoesNotMatch")
        #expect(refusal(vector, method: "DELETE")?.code == "SignatureDoesNotMatch")
        var host = vector.headers
        host["host"] = "evil.example"
        #expect(refusal(vector, headers: host)?.code == "SignatureDoesNotMatch")
    }

    @Test(arguments: vectors) func anotherLifeUnderTheSameSignatureIsRefused(_ vector: URLVector) {
        let other = vector.expires_in == 604_800 ? vector.expires_in - 60 : vector.expires_in + 60
        let target = vector.target.replacingOccurrences(of: "X-Amz-Expires=\(vector.expires_in)", with: "X-Amz-Expires=\(other)")
        #expect(refusal(vector, target: target)?.code == "SignatureDoesNotMatch")
    }

    @Test func aSignedHeaderThatIsMissingOrChangedIsRefused() throws {
        let vector = try #require(Self.vectors.first { $0.params["ContentType"] != nil })
        #expect(refusal(vector, headers: ["host": vector.url.hostHeader])?.code == "AccessDenied")
        #expect(refusal(vector, headers: ["host": vector.url.hostHeader, "content-type": "text/html"])?.code == "SignatureDoesNotMatch")
    }

    @Test func badParametersAreNamed() throws {
        let vector = try #require(Self.vectors.first)
        let tooLong = vector.target.replacingOccurrences(of: "X-Amz-Expires=\(vector.expires_in)", with: "X-Amz-Expires=604801")
        #expect(refusal(vector, target: tooLong) == .queryParameters("X-Amz-Expires must be less than a week (in seconds) that is; 604800"))
        let otherAlgorithm = vector.target.replacingOccurrences(of: "AWS4-HMAC-SHA256", with: "AWS4-HMAC-SHA1")
        #expect(refusal(vector, target: otherAlgorithm)?.code == "AuthorizationQueryParametersError")
    }

    @Test func headerSignedRequestsAreNotTheirBusiness() {
        let checks = S3RequestChecks(credentials: []) { Date() }
        #expect(checks.refusal(method: "GET", target: "/bucket/key?versionId=1", headers: ["host": "127.0.0.1:1"], body: []) == nil)
        #expect(checks.refusal(method: "POST", target: "/bucket/key?uploads", headers: ["host": "127.0.0.1:1", "content-type": formType], body: []) == nil)
    }
}

/// The checks on the local AWS endpoint, over HTTP, in front of a stand-in for moto.
@Suite struct S3RequestChecksOverHTTPTests {
    @Test func aMultiMegabyteUploadPassesWholeAndAForgedOneNeverReachesMoto() async throws {
        let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
        let moto = try LocalHTTPServer { _ in .init(status: 204) }
        let endpoint = try AWSEndpoint(moto: moto.url)
        S3RequestChecks(credentials: [credentials]).install(on: endpoint) { _ in }
        let url = AWSURL(string: endpoint.url + "/gas-inputs")!
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3")
        let policy = try S3PostPolicy(
            url: url, bucket: "gas-inputs", key: "u/1~${filename}", fields: [("acl", "private")],
            conditions: [.equals("acl", "private"), .contentLengthRange(0, 8_000_000)], expires: 60, signer: signer, at: Date())
        let file = Vectors.patternBytes(size: 6_000_000, seed: 3)
        func post(_ fields: [(name: String, value: String)], _ file: [UInt8]) async throws -> HTTPResponse {
            let body = multipart(fields.map { ($0.name, $0.value) }, file: file)
            return try await CurlHTTPClient().send(
                HTTPRequest(method: "POST", url: url.description, headers: [("Content-Type", formType)], body: .bytes(body), totalTimeout: 60))
        }
        #expect(try await post(policy.fields, file).status == 204)
        #expect(moto.requests.count == 1)
        #expect(moto.requests.first?.body.count == multipart(policy.fields.map { ($0.name, $0.value) }, file: file).count)

        let tooLarge = try await post(policy.fields, file + file)
        #expect(tooLarge.status == 400)
        let document = String(decoding: tooLarge.body, as: UTF8.self)
        #expect(document.contains("<Code>EntityTooLarge</Code>") && document.contains("<MaxSizeAllowed>8000000</MaxSizeAllowed>"))
        #expect(tooLarge.header("Content-Type") == "application/xml")
        let forged = policy.fields.map { $0.name == "acl" ? (name: "acl", value: "public-read") : $0 }
        #expect(try await post(forged, file).status == 403)
        #expect(moto.requests.count == 1)
    }
}
