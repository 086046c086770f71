@testable import AWSSigV4
import Foundation
import TestSupport
import Testing

@Suite struct SigV4SignerTests {
    static let vectors = (try? Vectors.load(SigV4RequestVector.self, prefix: "sigv4_requests")) ?? []

    @Test func vectorsArePresent() throws {
        _ = try Vectors.load(SigV4RequestVector.self, prefix: "sigv4_requests")
        #expect(Self.vectors.count >= 27)
    }

    @Test(arguments: vectors)
    func signsLikeBotocore(_ vector: SigV4RequestVector) throws {
        let url = try #require(AWSURL(string: vector.request.url))
        let signer = SigV4Signer(
            credentials: vector.credentials.value, region: vector.region, service: vector.signing_name,
            profile: vector.signer_profile == "s3" ? .s3 : .standard)
        let body = vector.body
        #expect(Hex.encode(SHA256.hash(body)) == vector.request.body_sha256)
        let payload: SigV4Signer.Payload = vector.payload_signing == "unsigned" ? .unsigned : .bytes(body)
        let date = try #require(AMZDate.parse(timestamp: vector.timestamp))
        let signature = signer.sign(
            method: vector.request.method, url: url,
            headers: vector.request.headers.map { ($0[0], $0[1]) }, payload: payload, at: date)
        #expect(Hex.encode(signer.signingKey(AMZDate(date))) == vector.expected.signing_key_hex)
        #expect(signature.canonicalRequest == vector.expected.canonical_request)
        #expect(signature.stringToSign == vector.expected.string_to_sign)
        #expect(signature.signature == vector.expected.signature)
        #expect(signature.authorization == vector.expected.authorization)
        let added = signature.headers.dropLast().map { [$0.name, $0.value] }
        #expect(added == vector.headers_added_by_signer)
    }

    /// The classic AWS suite's get-vanilla case (constants from sigv4.md section 10).
    @Test func awsSuiteGetVanilla() throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "service")
        let date = try #require(AMZDate.parse(timestamp: "20150830T123600Z"))
        let url = try #require(AWSURL(string: "https://example.amazonaws.com/"))
        let signature = signer.sign(method: "GET", url: url, headers: [], payload: .empty, at: date)
        #expect(signature.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func normalisesNonS3Paths() {
        #expect(SigV4Signer.normalize("/a/./b/../c//d/") == "/a/c/d/")
        #expect(SigV4Signer.normalize("/../..") == "/")
        #expect(SigV4Signer.normalize("") == "/")
    }

    @Test func trimsAndJoinsHeaderValues() {
        let (canonical, signed) = SigV4Signer.canonicalHeaders([
            ("My-Header1", "  a   b \n c "), ("my-header1", "d"), ("User-Agent", "x"), ("host", "h"),
        ])
        #expect(canonical == "host:h\nmy-header1:a b c,d\n")
        #expect(signed == "host;my-header1")
    }

    @Test func dateRoundTrips() throws {
        let date = try #require(AMZDate.parse(timestamp: "20240229T235959Z"))
        #expect(AMZDate(date).timestamp == "20240229T235959Z")
        #expect(AMZDate(date).iso8601 == "2024-02-29T23:59:59Z")
        #expect(AMZDate.parse(timestamp: "2024-02-29") == nil)
    }
}
