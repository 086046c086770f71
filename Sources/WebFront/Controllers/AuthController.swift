import AWSSigV4
import Hummingbird
import Logging

/// `/login`, `/authcallback`, `/logout`: OpenID Connect authorization code flow with PKCE.
struct AuthController {
    let pages: Pages

    func add(to router: Router<WebContext>) {
        router.get("/login", use: login).only("/login", [.get])
        router.get("/authcallback", use: callback).only("/authcallback", [.get])
        router.get("/logout", use: confirmLogout)
        pages.stateChanging(router).post("/logout", use: logout)
        router.only("/logout", [.get, .post])
    }

    @Sendable func login(_ request: Request, context: WebContext) async throws -> Response {
        let next = SafeRedirect.path(request.uri.queryParameters["next"].map(String.init))
        if context.session.userID != nil { return .redirect(to: next, type: .normal) }
        let state = RandomToken.make(), nonce = RandomToken.make(), verifier = PKCE.makeVerifier()
        let url: String
        do {
            url = try await pages.services.oidc.authorizationURL(state: state, nonce: nonce, verifier: verifier, now: Pages.now())
        } catch {
            context.logger.error("login unavailable", metadata: ["error": "\(error)"])
            throw PageError(status: .serviceUnavailable, message: "Login is unavailable right now: \(error)")
        }
        context.session.update { $0.login = .init(state: state, nonce: nonce, verifier: verifier, next: next) }
        return .redirect(to: url, type: .normal)
    }

    @Sendable func callback(_ request: Request, context: WebContext) async throws -> Response {
        let query = request.uri.queryParameters
        let pending = context.session.data?.login
        context.session.update { $0.login = nil }
        if let error = query["error"] {
            let why = query["error_description"].map(String.init) ?? String(error)
            return failed(OIDCError.denied(why), context: context)
        }
        guard let pending, let state = query["state"], RandomToken.equal(String(state), pending.state), let code = query["code"] else {
            return failed(OIDCError.invalidState, context: context)
        }
        let claims: IDTokenClaims
        let idToken: String
        do {
            (claims, idToken) = try await pages.services.oidc.redeem(code: String(code), verifier: pending.verifier, nonce: pending.nonce, now: Pages.now())
        } catch {
            return failed(error, context: context)
        }
        // A new session id at login, so an id planted before login (fixation) is worth nothing.
        context.session.rotate()
        context.session.update {
            $0.userID = claims.sub
            $0.idToken = idToken
        }
        let (profile, created) = try await pages.services.store.createUserIfMissing(
            id: claims.sub, name: claims.name ?? claims.preferredUsername ?? "", email: claims.email ?? "")
        context.logger.info("login", metadata: ["user.id": "\(claims.sub)", "new": "\(created)"])
        if created || profile.isIncomplete {
            return .redirect(to: "/profile?next=" + URIEncoding.encode(pending.next), type: .normal)
        }
        return .redirect(to: pending.next, type: .normal)
    }

    func failed(_ error: OIDCError, context: WebContext) -> Response {
        context.logger.notice("login failed", metadata: ["error": "\(error)"])
        context.session.flash("GAS login failed: \(error)", .danger)
        return .redirect(to: "/", type: .normal)
    }

    @Sendable func confirmLogout(_ request: Request, context: WebContext) async throws -> Response {
        guard context.session.userID != nil else { return .redirect(to: "/", type: .normal) }
        let user = try await pages.user(request, context: context, allowIncomplete: true)
        return try pages.render("Log out", LogoutPage.render(csrf: context.session.csrfToken()), context: context, user: user)
            .response(from: request, context: context)
    }

    @Sendable func logout(_ request: Request, context: WebContext) async throws -> Response {
        let idToken = context.session.data?.idToken
        let user = context.session.userID
        context.session.end()
        context.logger.info("logout", metadata: ["user.id": "\(user ?? "-")"])
        let home = pages.configuration.publicBaseURL + "/"
        if let url = await pages.services.oidc.endSessionURL(idToken: idToken, returnTo: home, now: Pages.now()) {
            return .redirect(to: url, type: .normal)
        }
        return .redirect(to: pages.configuration.oidcLogoutURL ?? "/", type: .normal)
    }
}
