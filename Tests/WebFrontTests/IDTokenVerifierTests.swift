import FoundationEssentials
import JWTKit
import Testing

@testable import WebFront

#if canImport(Glibc)
    import Glibc
#endif

/// What the local mock cannot show: Globus's RS512 tokens without `kid`, a string `aud`, and every
/// claim check failing when it should.
@Suite struct IDTokenVerifierTests {
    /// Globus's shape: `aud` a string, no `kid` anywhere.
    struct GlobusClaims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int
        var iat: Int
        var nonce: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static let issuer = "https://auth.example.org"
    static let now = 1_780_000_000

    /// A fresh 2048-bit key from the openssl command line (the test signs with it as the issuer would).
    static func makeKey() throws -> Insecure.RSA.PrivateKey {
        let path = "/tmp/gas-idtoken-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pem"
        defer { unlink(path) }
        #expect(system("openssl genrsa -out \(path) 2048 2>/dev/null") == 0)
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        return try Insecure.RSA.PrivateKey(pem: pem)
    }

    static func jwks(_ key: Insecure.RSA.PrivateKey, alg: String?, kid: String?) throws -> String {
        let (n, e) = try key.publicKey.getKeyPrimitives()
        var fields = ["\"kty\":\"RSA\"", "\"n\":\"\(Base64URL.encode(Array(n)))\"", "\"e\":\"\(Base64URL.encode(Array(e)))\""]
        if let alg { fields.append("\"alg\":\"\(alg)\"") }
        if let kid { fields.append("\"kid\":\"\(kid)\"") }
        return "{\"keys\":[{" + fields.joined(separator: ",") + "}]}"
    }

    static func sign(_ claims: GlobusClaims, with key: Insecure.RSA.PrivateKey, digest: DigestAlgorithm, kid: String?) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: digest, kid: kid.map { JWKIdentifier(string: $0) })
        return try await keys.sign(claims, kid: kid.map { JWKIdentifier(string: $0) })
    }

    static func claims(nonce: String = "n-1", aud: String = "gas-web", iss: String = issuer, exp: Int = now + 600) -> GlobusClaims {
        GlobusClaims(iss: iss, sub: "globus-uuid", aud: aud, exp: exp, iat: now, nonce: nonce)
    }

    @Test func globusStyleRS512WithoutKidAndStringAudienceVerifies() async throws {
        let key = try Self.makeKey()
        let token = try await Self.sign(Self.claims(), with: key, digest: .sha512, kid: nil)
        let verifier = IDTokenVerifier(issuer: Self.issuer, clientID: "gas-web")
        let claims = try await verifier.verify(token, jwks: try Self.jwks(key, alg: "RS512", kid: nil), nonce: "n-1", now: Self.now)
        #expect(claims.sub == "globus-uuid" && claims.aud == ["gas-web"])
    }

    @Test func rs256WithKidAmongSeveralKeysVerifies() async throws {
        let key = try Self.makeKey(), other = try Self.makeKey()
        let token = try await Self.sign(Self.claims(), with: key, digest: .sha256, kid: "k2")
        let first = try Self.jwks(other, alg: nil, kid: "k1"), second = try Self.jwks(key, alg: nil, kid: "k2")
        let both = "{\"keys\":[" + first.dropFirst(9).dropLast(2) + "," + second.dropFirst(9).dropLast(2) + "]}"
        let verifier = IDTokenVerifier(issuer: Self.issuer, clientID: "gas-web")
        _ = try await verifier.verify(token, jwks: both, nonce: "n-1", now: Self.now)
    }

    @Test func everyBadTokenIsRefused() async throws {
        let key = try Self.makeKey(), stranger = try Self.makeKey()
        let jwks = try Self.jwks(key, alg: nil, kid: nil)
        let verifier = IDTokenVerifier(issuer: Self.issuer, clientID: "gas-web")
        let cases: [(String, String)] = [
            (try await Self.sign(Self.claims(), with: stranger, digest: .sha256, kid: nil), "another key"),
            (try await Self.sign(Self.claims(nonce: "other"), with: key, digest: .sha256, kid: nil), "wrong nonce"),
            (try await Self.sign(Self.claims(aud: "someone-else"), with: key, digest: .sha256, kid: nil), "wrong audience"),
            (try await Self.sign(Self.claims(iss: "https://evil.example"), with: key, digest: .sha256, kid: nil), "wrong issuer"),
            (try await Self.sign(Self.claims(exp: Self.now - 3600), with: key, digest: .sha256, kid: nil), "expired"),
        ]
        for (token, why) in cases {
            await #expect(throws: OIDCError.self, "\(why)") { try await verifier.verify(token, jwks: jwks, nonce: "n-1", now: Self.now) }
        }
        // An unsigned token (alg none) and an HMAC token never reach a key.
        let good = try await Self.sign(Self.claims(), with: key, digest: .sha256, kid: nil)
        let parts = good.split(separator: ".")
        let none = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + "."
        let hmac = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + parts[1] + "." + parts[2]
        let tampered = parts[0] + "." + Base64URL.encode(Array(#"{"iss":"https://auth.example.org","sub":"admin","aud":"gas-web","exp":1780000600,"nonce":"n-1"}"#.utf8)) + "." + parts[2]
        for token in [none, hmac, String(tampered)] {
            await #expect(throws: OIDCError.self) { try await verifier.verify(token, jwks: jwks, nonce: "n-1", now: Self.now) }
        }
    }

    @Test func severalAudiencesNeedAzpNamingUs() throws {
        let verifier = IDTokenVerifier(issuer: Self.issuer, clientID: "gas-web")
        let base = IDTokenClaims(iss: Self.issuer, sub: "s", aud: ["gas-web", "other"], exp: Self.now + 60, nonce: "n")
        #expect(throws: OIDCError.self) { try verifier.check(base, nonce: "n", now: Self.now) }
        var named = base
        named.azp = "gas-web"
        try verifier.check(named, nonce: "n", now: Self.now)
    }
}
