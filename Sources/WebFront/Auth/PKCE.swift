import AWSSigV4

/// Proof Key for Code Exchange (RFC 7636) with the S256 method.
public enum PKCE {
    /// A new verifier: 32 random bytes, 43 base64url characters (RFC 7636 allows 43 to 128).
    public static func makeVerifier() -> String { RandomToken.make(bytes: 32) }

    /// `BASE64URL(SHA256(ASCII(verifier)))`.
    public static func challenge(for verifier: String) -> String { Base64URL.encode(SHA256.hash(verifier)) }
}
