import FoundationEssentials
import HTTPTransport

/// The Stripe calls GAS makes, form-encoded over the project's HTTP transport, each POST with an
/// idempotency key so a retried request creates one customer and one subscription.
public struct StripeClient: Sendable {
    /// What a subscription is created on: a Price (Stripe today) or a legacy Plan (what localstripe knows).
    public enum Item: Sendable, Equatable {
        case price(String)
        case plan(String)
    }

    /// A created customer.
    public struct Customer: Sendable, Equatable {
        public let id: String
    }

    /// A created subscription and its status (`active`, `trialing`, `incomplete`, …).
    public struct Subscription: Sendable, Equatable {
        public let id: String
        public let status: String

        /// Whether the user has paid (or is in a trial): the only states that make a user premium.
        public var isPaid: Bool { status == "active" || status == "trialing" }
    }

    let secretKey: String
    let baseURL: String
    let http: any HTTPClient

    /// `baseURL` is `https://api.stripe.com` in production (localstripe's URL locally).
    public init(secretKey: String, baseURL: String = "https://api.stripe.com", http: any HTTPClient = CurlHTTPClient()) {
        self.secretKey = secretKey
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.http = http
    }

    /// Creates the customer with the card `source` (a token from Stripe.js) and `email`.
    public func createCustomer(email: String, source: String, userID: String, idempotencyKey: String) async throws(StripeError) -> Customer {
        struct Answer: Decodable { var id: String }
        let answer: Answer = try await send(
            "POST", "/v1/customers", form: [("email", email), ("source", source), ("metadata[gas_user_id]", userID)], idempotencyKey: idempotencyKey)
        return Customer(id: answer.id)
    }

    /// Subscribes `customer` to `item`.
    public func createSubscription(customer: String, item: Item, idempotencyKey: String) async throws(StripeError) -> Subscription {
        let field: (String, String) =
            switch item {
            case .price(let id): ("items[0][price]", id)
            case .plan(let id): ("items[0][plan]", id)
            }
        struct Answer: Decodable {
            var id: String
            var status: String
        }
        let answer: Answer = try await send("POST", "/v1/subscriptions", form: [("customer", customer), field], idempotencyKey: idempotencyKey)
        return Subscription(id: answer.id, status: answer.status)
    }

    /// Cancels `subscription` now.
    public func cancelSubscription(_ subscription: String) async throws(StripeError) {
        struct Answer: Decodable { var id: String }
        let _: Answer = try await send("DELETE", "/v1/subscriptions/\(Self.encode(subscription))", form: [], idempotencyKey: nil)
    }

    /// Sends one call and decodes Stripe's answer as `Answer`.
    func send<Answer: Decodable>(_ method: String, _ path: String, form: [(String, String)], idempotencyKey: String?) async throws(StripeError) -> Answer {
        var headers: [(name: String, value: String)] = [
            ("Authorization", "Bearer \(secretKey)"), ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
        ]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        let body = form.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        let response: HTTPResponse
        do {
            response = try await http.send(
                HTTPRequest(method: method, url: baseURL + path, headers: headers, body: .bytes(Array(body.utf8)), connectTimeout: 5, totalTimeout: 30))
        } catch {
            throw .connection("\(error)")
        }
        guard (200..<300).contains(response.status) else { throw StripeError.from(status: response.status, body: response.body) }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)) else {
            throw .api(status: response.status, message: "the answer to \(method) \(path) could not be read")
        }
        return answer
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
