import AWSDynamoDB
import AWSSQS
import Foundation
import HTTPTransport
import LocalLambda
import LocalServer
import LocalStack
import Synchronization
import Testing

@testable import Stripe
@testable import WebFront

/// `/subscribe` and `/unsubscribe` against localstripe (not a mock), on both hosts.
@Suite struct SubscribeRouteTests {
    static func user() -> TestIssuer.User {
        let sub = "sub-\(UUID().uuidString.prefix(8).lowercased())"
        return TestIssuer.User(sub: sub, email: "\(sub)@example.org", name: "Premium Hopeful")
    }

    func role(_ fixture: WebFixture, _ user: TestIssuer.User) async throws -> DynamoDBItem {
        try #require(try await fixture.db.getItem(table: fixture.configuration.usersTable, key: ["user_id": .s(user.sub)], consistentRead: true))
    }

    func thawMessages(_ fixture: WebFixture) async throws -> [String] {
        let queue = try #require(fixture.stack.references["ThawQueue"])
        return try await SQSClient(client: fixture.aws).receiveMessages(queueURL: queue, waitSeconds: 1).map(\.body)
    }

    @Test(arguments: WebHost.allCases)
    func theTestCardUpgradesOnceAndRequestsTheThaw(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start(payments: true)
        let stripe = try await LocalStripe.shared()
        let user = Self.user()
        let archived = UUID().uuidString.lowercased()
        try await fixture.putJob(archived, user: user.sub, extra: ["results_storage": .s("ARCHIVED"), "results_file_archive_id": .s("glacier:abc")])
        try await host.run(fixture) { browser in
            try await browser.logIn(user)
            let page = try await browser.get("/subscribe")
            #expect(page.status == 200 && page.text.contains("data-key=\"\(LocalStripe.publishableKey)\""))
            #expect(page.text.contains("<script src=\"\(stripe.url)/js.stripe.com/v3/\"></script>"))
            #expect(!page.text.contains("sk_"), "no secret key reaches the page")
            let csrf = try #require(Browser.csrf(in: page))
            let token = try await stripe.token(card: "4242424242424242")

            let done = try await browser.post("/subscribe", [("csrf_token", csrf), ("stripe_token", token)])
            #expect(done.status == 200 && done.text.contains("Subscription Succeeded"))
            let item = try await role(fixture, user)
            #expect(item["role"]?.string == "premium_user")
            let customer = try #require(item["stripe_customer_id"]?.string)
            #expect(customer.hasPrefix("cus_") && done.text.contains(customer))
            #expect(item["thaw_requested_at"]?.int != nil, "the thaw stays requested until ThawHandler confirms it")
            let messages = try await thawMessages(fixture)
            #expect(messages.count == 1 && messages.first?.contains(user.sub) == true && messages.first?.contains("requested_at") == true)

            // A second submit of the same form changes nothing and shows the same customer.
            let again = try await browser.post("/subscribe", [("csrf_token", csrf), ("stripe_token", token)])
            #expect(again.status == 200 && again.text.contains(customer))
            #expect(try await thawMessages(fixture).isEmpty)
            #expect(try await browser.get("/subscribe").location == "/profile")
            // The archived result now says it is coming back, without waiting for the thaw.
            #expect(try await browser.get("/annotations/\(archived)").text.contains("The results file is being restored"))
            #expect(try await browser.get("/annotate").text.contains("Premium: no size limit."))
        }
    }

    @Test(arguments: WebHost.allCases)
    func refusedCardsAndBadFormsLeaveTheUserFree(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start(payments: true)
        let stripe = try await LocalStripe.shared()
        let user = Self.user()
        try await host.run(fixture) { browser in
            try await browser.logIn(user)
            let csrf = try #require(Browser.csrf(in: try await browser.get("/subscribe")))
            let cases: [(String, String?, String)] = [
                ("declined on attach", "4000000000000002", "Your card was refused: Your card was declined."),
                ("charge fails", "4000000000000341", "Your card could not be charged (the subscription is incomplete)"),
                ("no token", nil, "The card form did not send a card"),
            ]
            for (why, card, message) in cases {
                let token = card == nil ? "" : try await stripe.token(card: card!)
                let answer = try await browser.post("/subscribe", [("csrf_token", csrf), ("stripe_token", token)])
                #expect(answer.status == 303 && answer.location == "/subscribe", "\(why)")
                let page = try await browser.get("/subscribe")
                #expect(page.text.contains(HTML.escape(message)), "\(why): \(page.text.prefix(2000))")
                #expect(try await role(fixture, user)["role"]?.string == "free_user", "\(why)")
            }
            #expect(try await thawMessages(fixture).isEmpty)
            let forged = try await browser.post("/subscribe", [("stripe_token", try await stripe.token(card: "4242424242424242"))])
            #expect(forged.status == 400 && forged.text.contains("Cross-Site Request Forgery error detected"))
            #expect(try await role(fixture, user)["role"]?.string == "free_user")
            #expect(try await browser.request("PUT", "/subscribe").status == 405)
            #expect(try await browser.get("/unsubscribe").status == 405)
        }
    }

    @Test(arguments: [
        ("a refused secret key", "sk_x", nil, "our payment provider refused our configuration"),
        ("Stripe unreachable", LocalStripe.secretKey, "http://127.0.0.1:1", "Our payment provider could not be reached"),
        ("Stripe rate-limiting (localstripe cannot, so a stand-in answers as Stripe does)", LocalStripe.secretKey, "429", "Our payment provider is busy right now"),
    ] as [(String, String, String?, String)])
    func stripeFailuresComeBackAsAMessageWithTheRoleUnchanged(_ why: String, _ secret: String, _ url: String?, _ message: String) async throws {
        let busy = try LocalHTTPServer { _ in
            .init(
                status: 429, headers: [("Content-Type", "application/json")],
                text: #"{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests hit the API too quickly."}}"#)
        }
        let fixture = try await WebFixture.start(payments: true, stripeSecret: secret, stripeURL: url == "429" ? busy.url : url)
        let stripe = try await LocalStripe.shared()
        let user = Self.user()
        try await WebHost.server.run(fixture) { browser in
            try await browser.logIn(user)
            let csrf = try #require(Browser.csrf(in: try await browser.get("/subscribe")))
            let answer = try await browser.post("/subscribe", [("csrf_token", csrf), ("stripe_token", try await stripe.token(card: "4242424242424242"))])
            #expect(answer.location == "/subscribe", "\(why)")
            let page = try await browser.get("/subscribe")
            #expect(page.text.contains(message) && !page.text.contains(secret + "\""), "\(why)")
            #expect(try await role(fixture, user)["role"]?.string == "free_user")
        }
    }

    @Test func aThawWhosePublishFailedIsSentAgainByTheSweep() async throws {
        let fixture = try await WebFixture.start(payments: true)
        let stripe = try await LocalStripe.shared()
        let upgrades = try #require(fixture.configuration.upgradesTopicARN)
        let failing = Mutex(true)
        fixture.endpoint.intercept { request in
            // SNS is down for the upgrades topic, right after the role change.
            let body = String(decoding: request.body, as: UTF8.self).removingPercentEncoding ?? ""
            guard failing.withLock({ $0 }), body.contains("Action=Publish"), body.contains(upgrades) else { return nil }
            return .init(status: 500, headers: [("Content-Type", "text/xml")], text: "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>injected</Message></Error></ErrorResponse>")
        }
        let user = Self.user()
        try await WebHost.server.run(fixture) { browser in
            try await browser.logIn(user)
            let csrf = try #require(Browser.csrf(in: try await browser.get("/subscribe")))
            let done = try await browser.post("/subscribe", [("csrf_token", csrf), ("stripe_token", try await stripe.token(card: "4242424242424242"))])
            #expect(done.status == 200 && done.text.contains("Subscription Succeeded"))
        }
        #expect(try await thawMessages(fixture).isEmpty, "the publish failed")
        #expect(try await role(fixture, user)["thaw_requested_at"] != nil)
        failing.withLock { $0 = false }
        try await Task.sleep(for: .milliseconds(1100))
        let sent = try await RequestSweep(store: fixture.services.store).run(logger: fixture.logger)
        #expect(sent == 1)
        let messages = try await thawMessages(fixture)
        #expect(messages.count == 1 && messages.first?.contains(user.sub) == true)
    }

    @Test(arguments: WebHost.allCases)
    func unsubscribingCancelsAtStripeAndMakesTheUserFreeAgain(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start(payments: true)
        let stripe = try await LocalStripe.shared()
        let user = Self.user()
        try await host.run(fixture) { browser in
            try await browser.logIn(user)
            let csrf = try #require(Browser.csrf(in: try await browser.get("/subscribe")))
            _ = try await browser.post("/subscribe", [("csrf_token", csrf), ("stripe_token", try await stripe.token(card: "4242424242424242"))])
            let subscription = try #require(try await role(fixture, user)["stripe_subscription_id"]?.string)
            let profile = try await browser.get("/profile")
            #expect(profile.text.contains("action=\"/unsubscribe\""))
            let out = try await browser.post("/unsubscribe", [("csrf_token", csrf)])
            #expect(out.status == 303 && out.location == "/profile")
            #expect(try await browser.get("/profile").text.contains("You are on the free plan again."))
            let item = try await role(fixture, user)
            #expect(item["role"]?.string == "free_user" && item["thaw_requested_at"] == nil)
            #expect(try await stripe.get("/v1/subscriptions/\(subscription)")["status"] as? String == "canceled")
            #expect(try await browser.get("/annotate").text.contains("up to 150 KB"))
        }
    }

    @Test func stripesErrorObjectsBecomeTypedErrors() async throws {
        let stripe = try await LocalStripe.shared()
        func error(_ status: Int, _ json: String) -> StripeError {
            StripeError.from(status: status, body: Array(json.utf8))
        }
        #expect(error(402, #"{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"No."}}"#)
            == .card(code: "card_declined", declineCode: "insufficient_funds", message: "No."))
        #expect(error(429, #"{"error":{"type":"invalid_request_error","message":"slow down"}}"#) == .rateLimit("slow down"))
        #expect(error(401, #"{"error":{"type":"invalid_request_error","message":"bad key"}}"#) == .authentication("bad key"))
        #expect(error(400, #"{"error":{"type":"invalid_request_error","message":"No such plan"}}"#) == .invalidRequest("No such plan"))
        #expect(error(500, "not json") == .api(status: 500, message: "no message"))
        // Against localstripe: a refused key, and a Stripe that is not there.
        let wrongKey = StripeClient(secretKey: "x", baseURL: stripe.url)
        await #expect(throws: StripeError.self) { _ = try await wrongKey.createCustomer(email: "a@b", source: "tok_x", userID: "u", idempotencyKey: "k") }
        let nowhere = StripeClient(secretKey: LocalStripe.secretKey, baseURL: "http://127.0.0.1:1")
        do {
            _ = try await nowhere.createCustomer(email: "a@b", source: "tok_x", userID: "u", idempotencyKey: "k")
            Issue.record("no error from a closed port")
        } catch {
            guard case .connection = error else { Issue.record("\(error)"); return }
        }
        #expect(StripeClient.encode("a b&c=d[0]") == "a%20b%26c%3Dd%5B0%5D")
    }
}
