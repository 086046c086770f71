import AWSDynamoDB
import AWSSigV4
import Foundation
import Testing

@testable import WebFront

/// Login, the callback's failures, `next`, session cookies and rotation, and logout, on both hosts.
@Suite struct AuthRouteTests {
    static let ada = TestIssuer.User(sub: "0c5a7d1e-ada", email: "ada@example.org", name: "Ada Lovelace")

    @Test(arguments: WebHost.allCases)
    func firstLoginCreatesAFreeUserAndLandsOnThePrefilledProfile(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { browser in
            let start = try await browser.get("/annotations")
            #expect(start.status == 303 && start.location == "/login?next=%2Fannotations")
            let login = try await browser.get(start.location!)
            #expect(login.location?.hasPrefix(fixture.issuer.url + "/authorize?") == true)
            let cookie = try #require(login.setCookies.first { $0.hasPrefix("gas_session=") })
            for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] { #expect(cookie.contains(attribute), "\(attribute) in \(cookie)") }
            let beforeLogin = try #require(browser.sessionID)

            let callback = try await fixture.issuer.authorize(login.location!, as: Self.ada)
            let landed = try await browser.get(callback)
            #expect(landed.location == "/profile?next=%2Fannotations")
            #expect(fixture.issuer.refusals.isEmpty, "token exchange refused: \(fixture.issuer.refusals)")
            let afterLogin = try #require(browser.sessionID)
            #expect(afterLogin != beforeLogin, "the session id rotates at login")

            let profile = try await browser.get(landed.location!)
            #expect(profile.status == 200)
            let inputs = Browser.inputs(in: profile.text)
            #expect(inputs.first { $0.name == "name" }?.value == "Ada Lovelace")
            #expect(inputs.first { $0.name == "email" }?.value == "ada@example.org")
            #expect(inputs.first { $0.name == "next" }?.value == "/annotations")
            #expect(profile.text.contains("Free"))
            let user = try await fixture.db.getItem(table: fixture.configuration.usersTable, key: ["user_id": .s(Self.ada.sub)])
            #expect(user?["role"]?.string == "free_user" && user?["email"]?.string == "ada@example.org")
        }
    }

    @Test(arguments: WebHost.allCases)
    func aSessionIdPlantedBeforeLoginIsWorthNothingAfterIt(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { attacker in
            // The attacker gets an id from the front and plants it in the victim's browser.
            _ = try await attacker.get("/login")
            let planted = try #require(attacker.sessionID)
            try await host.run(fixture) { victim in
                victim.cookies = ["gas_session": planted]
                try await victim.logIn(Self.ada)
                #expect(victim.sessionID != planted)
                #expect(try await victim.get("/annotations").status == 200)
            }
            attacker.cookies = ["gas_session": planted]
            #expect(try await attacker.get("/annotations").location?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: WebHost.allCases)
    func everyFailedCallbackEndsOnTheHomePageWithAReason(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { browser in
            // No login in progress.
            var answer = try await browser.get("/authcallback?code=abc&state=xyz")
            #expect(answer.location == "/")
            #expect(try await browser.get("/").text.contains("GAS login failed"))
            // The issuer said no.
            _ = try await browser.get("/login")
            answer = try await browser.follow(try await browser.get("/authcallback?error=access_denied&error_description=User%20cancelled"))
            #expect(answer.text.contains("GAS login failed") && answer.text.contains("User cancelled"))
            // Another state than the one sent.
            let login = try await browser.get("/login")
            let callback = try await fixture.issuer.authorize(login.location!, as: Self.ada)
            let forged = callback.replacingOccurrences(of: "state=", with: "state=x")
            #expect(try await browser.get(forged).location == "/")
            #expect(browser.sessionID != nil)
            #expect(try await browser.get("/annotations").location?.hasPrefix("/login") == true, "a refused callback logs nobody in")
            // A callback replayed after the login it completed.
            let again = try await browser.get("/login")
            let callbackURL = try await fixture.issuer.authorize(again.location!, as: Self.ada)
            let first = try await browser.get(callbackURL)
            #expect(first.location == "/profile?next=%2Fannotations", "\(first.status) \(first.location ?? "-")")
            #expect(try await browser.follow(try await browser.get(callbackURL)).text.contains("GAS login failed"))
        }
    }

    @Test(arguments: WebHost.allCases)
    func nextIsFollowedOnlyToAPathOfThisSite(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.ada)
            _ = try await browser.post("/logout", [("csrf_token", Browser.csrf(in: try await browser.get("/logout")) ?? "")])
            let cases = [
                ("//evil.example", "/annotations"), ("https://evil.example/x", "/annotations"), ("/\\evil.example", "/annotations"),
                ("javascript:alert(1)", "/annotations"), ("/profile?x=1", "/profile?x=1"),
            ]
            for (next, expected) in cases {
                let login = try await browser.get("/login?next=" + URIEncoding.encode(next))
                let callback = try await fixture.issuer.authorize(try #require(login.location), as: Self.ada)
                let landed = try await browser.get(callback)
                #expect(landed.location == expected, "next=\(next): \(landed.status) \(landed.location ?? "-")")
                _ = try await browser.post("/logout", [("csrf_token", Browser.csrf(in: try await browser.get("/logout")) ?? "")])
            }
        }
    }

    @Test(arguments: WebHost.allCases)
    func logoutEndsTheSessionOnTheServerAndAtTheIssuer(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.ada)
            let session = try #require(browser.sessionID)
            let confirm = try await browser.get("/logout")
            let token = try #require(Browser.csrf(in: confirm))
            // Without the token nothing happens.
            let refused = try await browser.post("/logout", [])
            #expect(refused.status == 400 && refused.text.contains("Cross-Site Request Forgery error detected"))
            #expect(try await browser.get("/annotations").status == 200)

            let out = try await browser.post("/logout", [("csrf_token", token)])
            let location = try #require(out.location)
            #expect(location.hasPrefix(fixture.issuer.url + "/logout?"))
            #expect(location.contains("post_logout_redirect_uri=https%3A%2F%2Fgas.example.org%2F") && location.contains("id_token_hint="))
            #expect(out.setCookies.contains { $0.hasPrefix("gas_session=;") && $0.contains("Max-Age=0") })
            #expect(try await fixture.scan(fixture.configuration.sessionsTable).isEmpty, "the session item is deleted")
            // The old cookie, replayed, is no session at all.
            browser.cookies = ["gas_session": session]
            #expect(try await browser.get("/annotations").location?.hasPrefix("/login") == true)
        }
    }

    @Test func onPlainHTTPLoopbackTheCookieIsNotSecure() async throws {
        let fixture = try await WebFixture.start(baseURL: "http://127.0.0.1:8080")
        try await WebHost.server.run(fixture) { browser in
            let cookie = try #require(try await browser.get("/login").setCookies.first)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
        }
    }
}
