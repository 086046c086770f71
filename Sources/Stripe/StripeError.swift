import FoundationEssentials

/// Why a Stripe call failed, from Stripe's error object (`{"error": {"type", "code", "decline_code", "message"}}`).
public enum StripeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The card was refused (`card_error`, or localstripe's `card_declined` code): the user can try another card.
    case card(code: String?, declineCode: String?, message: String)
    /// Too many requests (429).
    case rateLimit(String)
    /// A request Stripe could not use (`invalid_request_error`): a bug or a bad configuration.
    case invalidRequest(String)
    /// The secret key was refused (401).
    case authentication(String)
    /// Stripe could not be reached or did not answer in time.
    case connection(String)
    /// Anything else Stripe answered (`api_error`, 5xx, an answer that is not Stripe's JSON).
    case api(status: Int, message: String)

    public var description: String {
        switch self {
        case .card(_, _, let message): message
        case .rateLimit(let message): "Stripe is busy right now: \(message)"
        case .invalidRequest(let message): "Stripe refused the request: \(message)"
        case .authentication(let message): "Stripe refused our credentials: \(message)"
        case .connection(let message): "Stripe could not be reached: \(message)"
        case .api(let status, let message): "Stripe answered \(status): \(message)"
        }
    }

    /// Decodes Stripe's error answer (`status`, `body`); a body that is not Stripe's error object still gives an error.
    static func from(status: Int, body: [UInt8]) -> StripeError {
        struct Envelope: Decodable {
            struct Body: Decodable {
                var type: String?
                var code: String?
                var decline_code: String?
                var message: String?
            }
            var error: Body?
        }
        let error = (try? JSONDecoder().decode(Envelope.self, from: Data(body)))?.error
        let message = error?.message ?? "no message"
        switch (status, error?.type) {
        case (_, "card_error"), (402, _): return .card(code: error?.code, declineCode: error?.decline_code, message: message)
        case (429, _), (_, "rate_limit_error"): return .rateLimit(message)
        case (401, _), (_, "authentication_error"): return .authentication(message)
        case (_, "invalid_request_error") where (400..<500).contains(status): return .invalidRequest(message)
        default: return .api(status: status, message: message)
        }
    }
}
