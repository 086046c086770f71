/// Why a login could not complete; shown to the user as "GAS login failed: …".
public enum OIDCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Discovery, JWKS or the token endpoint could not be used.
    case provider(String)
    /// The issuer refused or the user denied (`error` on the callback).
    case denied(String)
    /// The callback does not belong to a login this session started.
    case invalidState
    /// The id_token failed a check.
    case invalidToken(String)

    public var description: String {
        switch self {
        case .provider(let why): "the identity provider could not be used (\(why))"
        case .denied(let why): why
        case .invalidState: "the login request expired or did not start here; please try again"
        case .invalidToken(let why): "the identity token was not valid (\(why))"
        }
    }
}
