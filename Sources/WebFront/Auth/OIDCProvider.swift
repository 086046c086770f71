import AWSSigV4
import FoundationEssentials
import HTTPTransport
import Synchronization

/// One OpenID Connect issuer, configured from its discovery document: the authorization code
/// flow with PKCE, the token exchange (`client_secret_basic`, or a public client), JWKS with
/// refetch on an unknown key, and the end-session endpoint when the issuer has one.
public final class OIDCProvider: Sendable {
    /// The discovery fields GAS uses.
    public struct Metadata: Decodable, Sendable {
        public var issuer: String
        public var authorization_endpoint: String
        public var token_endpoint: String
        public var jwks_uri: String
        public var end_session_endpoint: String?
    }

    struct Cache {
        var metadata: Metadata?
        var metadataAt = 0
        var jwks: String?
        var jwksAt = 0
    }

    public let issuer: String
    public let clientID: String
    let clientSecret: String?
    let redirectURI: String
    let scopes: String
    let http: any HTTPClient
    let cache = Mutex(Cache())
    let verifier: IDTokenVerifier

    /// An issuer (its discovery document is at `issuer/.well-known/openid-configuration`).
    public init(issuer: String, clientID: String, clientSecret: String?, redirectURI: String, scopes: String, http: any HTTPClient = CurlHTTPClient()) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.http = http
        verifier = IDTokenVerifier(issuer: issuer, clientID: clientID)
    }

    /// The discovery document (cached for an hour).
    public func metadata(now: Int) async throws(OIDCError) -> Metadata {
        if let cached = cache.withLock({ $0.metadata != nil && now - $0.metadataAt < 3600 ? $0.metadata : nil }) { return cached }
        let body = try await get(issuer + "/.well-known/openid-configuration")
        let metadata: Metadata
        do {
            metadata = try JSONDecoder().decode(Metadata.self, from: Data(body))
        } catch {
            throw .provider("the discovery document lacks a required field")
        }
        var expected = metadata.issuer
        while expected.hasSuffix("/") { expected.removeLast() }
        guard expected == issuer else { throw .provider("the discovery document names issuer \(metadata.issuer), not \(issuer)") }
        cache.withLock {
            $0.metadata = metadata
            $0.metadataAt = now
        }
        return metadata
    }

    /// Where to send the browser to log in.
    public func authorizationURL(state: String, nonce: String, verifier: String, now: Int) async throws(OIDCError) -> String {
        let metadata = try await metadata(now: now)
        let query = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", scopes), ("state", state),
            ("nonce", nonce), ("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256"),
        ]
        return Self.appending(query, to: metadata.authorization_endpoint)
    }

    /// Exchanges the code and answers the verified id_token's claims and the raw token.
    public func redeem(code: String, verifier codeVerifier: String, nonce: String, now: Int) async throws(OIDCError) -> (IDTokenClaims, String) {
        let metadata = try await metadata(now: now)
        var form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", codeVerifier)]
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        if let clientSecret {
            let pair = URIEncoding.encode(clientID) + ":" + URIEncoding.encode(clientSecret)
            headers.append(("Authorization", "Basic " + Data(pair.utf8).base64EncodedString()))
        } else {
            form.append(("client_id", clientID))
        }
        let body = form.map { URIEncoding.encode($0.0) + "=" + URIEncoding.encode($0.1) }.joined(separator: "&")
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(method: "POST", url: metadata.token_endpoint, headers: headers, body: .bytes(Array(body.utf8)), totalTimeout: 15))
        } catch {
            throw .provider("the token endpoint did not answer: \(error)")
        }
        struct TokenResponse: Decodable {
            var id_token: String?
            var error: String?
            var error_description: String?
        }
        guard let tokens = try? JSONDecoder().decode(TokenResponse.self, from: Data(response.body)) else {
            throw .provider("the token endpoint answered \(response.status) without JSON")
        }
        guard (200..<300).contains(response.status), let idToken = tokens.id_token else {
            throw .provider("the token endpoint refused the code: \(tokens.error_description ?? tokens.error ?? "status \(response.status)")")
        }
        do {
            return (try await verifier.verify(idToken, jwks: try await jwks(now: now, refresh: false), nonce: nonce, now: now), idToken)
        } catch .invalidToken(let why) where why.hasPrefix("the signature") {
            // The issuer may have rotated its keys since the JWKS was cached: fetch it once more.
            return (try await verifier.verify(idToken, jwks: try await jwks(now: now, refresh: true), nonce: nonce, now: now), idToken)
        }
    }

    /// Where to send the browser at logout: the issuer's end-session endpoint, when it has one.
    public func endSessionURL(idToken: String?, returnTo: String, now: Int) async -> String? {
        guard let endpoint = try? await metadata(now: now).end_session_endpoint else { return nil }
        var query = [("client_id", clientID), ("post_logout_redirect_uri", returnTo)]
        if let idToken { query.append(("id_token_hint", idToken)) }
        return Self.appending(query, to: endpoint)
    }

    func jwks(now: Int, refresh: Bool) async throws(OIDCError) -> String {
        if !refresh, let cached = cache.withLock({ $0.jwks != nil && now - $0.jwksAt < 3600 ? $0.jwks : nil }) { return cached }
        // A refresh at most once a minute, so a stream of forged tokens cannot make us hammer the issuer.
        if refresh, let recent = cache.withLock({ $0.jwks != nil && now - $0.jwksAt < 60 ? $0.jwks : nil }) { return recent }
        let metadata = try await metadata(now: now)
        let text = String(decoding: try await get(metadata.jwks_uri), as: UTF8.self)
        cache.withLock {
            $0.jwks = text
            $0.jwksAt = now
        }
        return text
    }

    func get(_ url: String) async throws(OIDCError) -> [UInt8] {
        do {
            let response = try await http.send(HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")], totalTimeout: 15))
            guard response.status == 200 else { throw OIDCError.provider("\(url) answered \(response.status)") }
            return response.body
        } catch let error as OIDCError {
            throw error
        } catch {
            throw .provider("\(url) did not answer: \(error)")
        }
    }

    static func appending(_ query: [(String, String)], to url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + query.map { URIEncoding.encode($0.0) + "=" + URIEncoding.encode($0.1) }.joined(separator: "&")
    }

}
