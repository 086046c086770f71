import JWTKit

/// The id_token claims GAS reads. `aud` may be a string or an array, as issuers send it.
public struct IDTokenClaims: JWTPayload, Equatable {
    public var iss: String
    public var sub: String
    public var aud: [String]
    public var exp: Int
    public var iat: Int?
    public var nonce: String?
    public var azp: String?
    public var email: String?
    public var name: String?
    public var preferredUsername: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, azp, email, name
        case preferredUsername = "preferred_username"
    }

    public init(
        iss: String, sub: String, aud: [String], exp: Int, iat: Int? = nil, nonce: String? = nil, azp: String? = nil, email: String? = nil,
        name: String? = nil, preferredUsername: String? = nil
    ) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.nonce = nonce
        self.azp = azp
        self.email = email
        self.name = name
        self.preferredUsername = preferredUsername
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iss = try c.decode(String.self, forKey: .iss)
        sub = try c.decode(String.self, forKey: .sub)
        if let single = try? c.decode(String.self, forKey: .aud) {
            aud = [single]
        } else {
            aud = try c.decode([String].self, forKey: .aud)
        }
        exp = try Self.number(c, .exp) ?? 0
        iat = try Self.number(c, .iat)
        nonce = try c.decodeIfPresent(String.self, forKey: .nonce)
        azp = try c.decodeIfPresent(String.self, forKey: .azp)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        preferredUsername = try c.decodeIfPresent(String.self, forKey: .preferredUsername)
    }

    /// NumericDate may carry a fraction.
    static func number(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int? {
        if let whole = try? c.decodeIfPresent(Int.self, forKey: key) { return whole }
        return try c.decodeIfPresent(Double.self, forKey: key).map { Int($0) }
    }

    /// The signature was checked by jwt-kit; the claims are checked by `IDTokenVerifier`.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
