/// What a server-side session holds. The cookie carries only a random id; this lives in the sessions table.
public struct SessionData: Codable, Sendable, Equatable {
    /// A login in progress: what the callback must see again.
    public struct PendingLogin: Codable, Sendable, Equatable {
        public var state: String
        public var nonce: String
        public var verifier: String
        public var next: String
    }

    /// A one-time message for the next page.
    public struct Flash: Codable, Sendable, Equatable {
        public enum Level: String, Codable, Sendable { case info, success, warning, danger }
        public var level: Level
        public var text: String
    }

    /// The logged-in user's id (the token's `sub`), nil before login.
    public var userID: String?
    /// The per-session CSRF token every state-changing form carries.
    public var csrf: String
    public var login: PendingLogin?
    public var flashes: [Flash] = []
    /// Kept for the issuer's end-session endpoint (`id_token_hint`); never shown.
    public var idToken: String?

    /// A new anonymous session.
    public init(csrf: String) { self.csrf = csrf }
}
