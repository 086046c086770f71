import Synchronization

/// The session of one request, shared by the middleware that loads and saves it, the handlers that
/// change it, and the error page that shows who is logged in.
public final class SessionHandle: Sendable {
    struct State {
        var id: String?
        var data: SessionData?
        var dirty = false
        /// The id the request came with, to delete when the session rotates or ends.
        var retiring: String?
        var ended = false
        /// The id the browser's cookie already names.
        var cookieID: String?
    }

    /// What the middleware must write after the request.
    struct Changes {
        var save: (id: String, data: SessionData)?
        var retiring: String?
        var ended: Bool
        var newCookie: Bool
    }

    let state = Mutex(State())

    init() {}

    /// The current session data, if any.
    public var data: SessionData? { state.withLock { $0.data } }

    /// The logged-in user, if any.
    public var userID: String? { state.withLock { $0.data?.userID } }

    /// The CSRF token, creating the session if needed (forms on anonymous pages).
    public func csrfToken() -> String {
        state.withLock { state in
            if let token = state.data?.csrf { return token }
            state.data = SessionData(csrf: RandomToken.make())
            state.id = RandomToken.make()
            state.dirty = true
            return state.data!.csrf
        }
    }

    /// Changes the session (creating it when there is none); it is saved after the response.
    public func update(_ change: (inout SessionData) -> Void) {
        state.withLock { state in
            if state.data == nil {
                state.data = SessionData(csrf: RandomToken.make())
                state.id = RandomToken.make()
            }
            change(&state.data!)
            state.dirty = true
        }
    }

    /// A new id and CSRF token for the same session (at login: no fixation); the old item is deleted.
    public func rotate() {
        state.withLock { state in
            if let old = state.id, state.retiring == nil { state.retiring = old }
            state.id = RandomToken.make()
            var data = state.data ?? SessionData(csrf: "")
            data.csrf = RandomToken.make()
            state.data = data
            state.dirty = true
        }
    }

    /// Ends the session: the item is deleted and the cookie cleared.
    public func end() {
        state.withLock { state in
            if let old = state.id, state.retiring == nil { state.retiring = old }
            state.id = nil
            state.data = nil
            state.ended = true
        }
    }

    /// Adds a one-time message for the next page.
    public func flash(_ text: String, _ level: SessionData.Flash.Level = .info) {
        update { $0.flashes.append(.init(level: level, text: text)) }
    }

    /// Takes the pending messages (they show once).
    public func takeFlashes() -> [SessionData.Flash] {
        state.withLock { state in
            guard let flashes = state.data?.flashes, !flashes.isEmpty else { return [] }
            state.data!.flashes = []
            state.dirty = true
            return flashes
        }
    }

    func loaded(id: String, data: SessionData) {
        state.withLock {
            $0.id = id
            $0.cookieID = id
            $0.data = data
        }
    }

    /// Hands the pending writes to the middleware, once.
    func takeChanges() -> Changes {
        state.withLock { state in
            var changes = Changes(retiring: state.retiring, ended: state.ended, newCookie: false)
            if state.dirty, let id = state.id, let data = state.data {
                changes.save = (id, data)
                changes.newCookie = id != state.cookieID
                state.cookieID = id
            }
            state.dirty = false
            state.retiring = nil
            return changes
        }
    }
}
