import AWSSigV4
import FoundationEssentials
import JWTKit
import LocalServer
import Synchronization
import Testing

@testable import WebFront

/// An OpenID Connect issuer on a loopback port that is as strict as Globus or Cognito where the
/// local mock is lax: a registered redirect URI, `client_secret_basic`, single-use codes, and PKCE
/// S256 checked at the token endpoint. Its tokens are RS256 with a `kid`, signed with a fresh key.
final class TestIssuer: Sendable {
    struct User: Sendable {
        var sub: String
        var email: String
        var name: String
    }

    struct Grant: Sendable {
        var challenge: String
        var redirectURI: String
        var idToken: String
    }

    final class State: Sendable {
        let grants = Mutex<[String: Grant]>([:])
        let refused = Mutex<[String]>([])
    }

    static let clientID = "gas-web"
    static let clientSecret = "test-client-secret"

    let url: String
    let redirectURI: String
    private let server: LocalHTTPServer
    private let keys: JWTKeyCollection
    private let state: State

    init(redirectURI: String) async throws {
        let key = try IDTokenVerifierTests.makeKey()
        let jwks = try IDTokenVerifierTests.jwks(key, alg: "RS256", kid: "k1")
        keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256, kid: "k1")
        let state = State()
        let box = Mutex<String>("")
        let server = try LocalHTTPServer { request in TestIssuer.answer(request, jwks: jwks, state: state, issuer: box.withLock { $0 }) }
        box.withLock { $0 = server.url }
        self.server = server
        url = server.url
        self.state = state
        self.redirectURI = redirectURI
    }

    /// Why token requests were refused, in order.
    var refusals: [String] { state.refused.withLock { $0 } }

    /// What the issuer's login page does for `user`: checks the authorization request and answers
    /// the callback target (path and query) the browser is sent to.
    func authorize(_ authorizationURL: String, as user: User, audienceAsString: Bool = false) async throws -> String {
        let url = try #require(AWSURL(string: authorizationURL))
        var query: [String: String] = [:]
        for (name, value) in url.query { query[URIEncoding.decode(name)] = URIEncoding.decode(value) }
        #expect(url.origin == self.url && url.path == "/authorize")
        #expect(query["response_type"] == "code" && query["client_id"] == Self.clientID && query["redirect_uri"] == redirectURI)
        #expect(query["scope"]?.split(separator: " ").contains("openid") == true)
        #expect(query["code_challenge_method"] == "S256" && query["code_challenge"]?.count == 43)
        let state = try #require(query["state"]), nonce = try #require(query["nonce"])
        #expect(state.count >= 32 && nonce.count >= 32)
        let now = Int(Date().timeIntervalSince1970)
        let claims = IDTokenClaims(
            iss: self.url, sub: user.sub, aud: [Self.clientID], exp: now + 300, iat: now, nonce: nonce, email: user.email, name: user.name)
        let token = try await keys.sign(claims, kid: "k1")
        let code = RandomToken.make()
        self.state.grants.withLock { $0[code] = Grant(challenge: query["code_challenge"] ?? "", redirectURI: redirectURI, idToken: token) }
        let callback = try #require(AWSURL(string: redirectURI))
        return callback.path + "?code=" + URIEncoding.encode(code) + "&state=" + URIEncoding.encode(state)
    }

    static func answer(_ request: LocalHTTPServer.Request, jwks: String, state: State, issuer: String) -> LocalHTTPServer.Response {
        let json = [("Content-Type", "application/json")]
        switch (request.method, request.path.split(separator: "?").first.map(String.init) ?? "") {
        case ("GET", "/.well-known/openid-configuration"):
            let metadata = [
                "issuer": issuer, "authorization_endpoint": issuer + "/authorize", "token_endpoint": issuer + "/token",
                "jwks_uri": issuer + "/jwks", "end_session_endpoint": issuer + "/logout",
            ]
            return .init(status: 200, headers: json, body: Array(try! JSONEncoder().encode(metadata)))
        case ("GET", "/jwks"):
            return .init(status: 200, headers: json, text: jwks)
        case ("POST", "/token"):
            func refuse(_ status: Int, _ error: String, _ why: String) -> LocalHTTPServer.Response {
                state.refused.withLock { $0.append(why) }
                return .init(status: status, headers: json, text: #"{"error":"\#(error)","error_description":"\#(why)"}"#)
            }
            let basic = "Basic " + Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
            guard request.headers["authorization"] == basic else { return refuse(401, "invalid_client", "client authentication failed") }
            let form = FormFields(String(decoding: request.body, as: UTF8.self))
            guard form["grant_type"] == "authorization_code", let code = form["code"] else {
                return refuse(400, "invalid_request", "grant_type and code are required")
            }
            guard let grant = state.grants.withLock({ $0.removeValue(forKey: code) }) else {
                return refuse(400, "invalid_grant", "unknown or used code")
            }
            guard form["redirect_uri"] == grant.redirectURI else { return refuse(400, "invalid_grant", "redirect_uri differs") }
            guard let verifier = form["code_verifier"], PKCE.challenge(for: verifier) == grant.challenge else {
                return refuse(400, "invalid_grant", "PKCE verification failed")
            }
            return .init(status: 200, headers: json, text: #"{"access_token":"at","token_type":"Bearer","expires_in":3600,"id_token":"\#(grant.idToken)"}"#)
        default:
            return .init(status: 404, headers: json, text: #"{"error":"not_found"}"#)
        }
    }
}
