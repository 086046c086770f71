import FoundationEssentials
import JWTKit

/// Checks an id_token as OpenID Connect Core 3.1.3.7 says: an RSA signature (RS256, RS384 or RS512)
/// by a key of the issuer's JWKS, with or without `kid`; `iss`; `aud` (a string or an array) holding
/// the client id, and `azp` naming it when there are several audiences; `exp` and `iat` with a
/// small leeway; and the `nonce` the login sent.
public struct IDTokenVerifier: Sendable {
    /// The algorithms accepted (an RSA key admits nothing else; `none` and HMAC never pass).
    public static let algorithms: Set<String> = ["RS256", "RS384", "RS512"]

    public let issuer: String
    public let clientID: String
    public let leeway: Int

    /// Verifies tokens of `issuer` for `clientID`.
    public init(issuer: String, clientID: String, leeway: Int = 120) {
        self.issuer = issuer
        self.clientID = clientID
        self.leeway = leeway
    }

    /// The header fields that choose the key.
    struct Header: Decodable {
        var alg: String
        var kid: String?
    }

    /// The verified claims of `token` against the keys of `jwks` (its JSON).
    public func verify(_ token: String, jwks: String, nonce: String, now: Int) async throws(OIDCError) -> IDTokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Self.base64URLDecode(parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes))
        else { throw .invalidToken("not a signed JWT") }
        guard Self.algorithms.contains(header.alg) else { throw .invalidToken("algorithm \(header.alg) is not accepted") }
        let keys = try await Self.keys(jwks, kid: header.kid)
        let claims: IDTokenClaims
        do {
            claims = try await keys.verify(token, as: IDTokenClaims.self)
        } catch {
            throw .invalidToken("the signature does not verify with the issuer's keys")
        }
        try check(claims, nonce: nonce, now: now)
        return claims
    }

    /// The claim checks alone (the signature already verified).
    public func check(_ claims: IDTokenClaims, nonce: String, now: Int) throws(OIDCError) {
        guard claims.iss == issuer else { throw .invalidToken("issuer \(claims.iss) is not \(issuer)") }
        guard claims.aud.contains(clientID) else { throw .invalidToken("the token is not for this client") }
        if claims.aud.count > 1, claims.azp != clientID { throw .invalidToken("azp does not name this client") }
        if let azp = claims.azp, azp != clientID { throw .invalidToken("azp does not name this client") }
        guard claims.exp + leeway > now else { throw .invalidToken("the token expired") }
        if let iat = claims.iat, iat - leeway > now { throw .invalidToken("the token was issued in the future") }
        guard let sent = claims.nonce, RandomToken.equal(sent, nonce) else { throw .invalidToken("the nonce does not match") }
        guard !claims.sub.isEmpty else { throw .invalidToken("no subject") }
    }

    /// The JWKS as jwt-kit keys. A key without `kid` (Globus) gets a stand-in id and becomes the
    /// default; the key named by the header's `kid` is the default when there is one.
    static func keys(_ json: String, kid: String?) async throws(OIDCError) -> JWTKeyCollection {
        let jwks: JWKS
        do {
            jwks = try JSONDecoder().decode(JWKS.self, from: Data(json.utf8))
        } catch {
            throw .provider("the JWKS is not valid JSON Web Keys")
        }
        let collection = JWTKeyCollection()
        var added = 0
        for (index, var key) in jwks.keys.enumerated() where key.keyType == .rsa {
            let named = key.keyIdentifier?.string
            if key.keyIdentifier == nil { key.keyIdentifier = JWKIdentifier(string: "gas-unnamed-\(index)") }
            let isDefault = kid == nil ? named == nil || added == 0 : named == kid
            do {
                try await collection.add(jwk: key, isDefault: isDefault ? true : nil)
                added += 1
            } catch {
                continue
            }
        }
        guard added > 0 else { throw .provider("the JWKS has no usable RSA signing key") }
        return collection
    }

    static func base64URLDecode(_ text: Substring) -> [UInt8]? {
        var value = text.replacing("-", with: "+").replacing("_", with: "/")
        while value.count % 4 != 0 { value += "=" }
        return Data(base64Encoded: String(value)).map(Array.init)
    }
}
