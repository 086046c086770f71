import Stripe

/// Stripe settings of the front (all of them, or none: then `/subscribe` says subscriptions are off).
public struct PaymentsConfiguration: Sendable, Equatable {
    /// `STRIPE_PUBLISHABLE_KEY`: the only key that reaches a page.
    public let publishableKey: String
    /// `STRIPE_SECRET_KEY` (local runs) or `STRIPE_SECRET_KEY_ARN` (Secrets Manager).
    public let secretKey: WebConfiguration.Secret
    /// `STRIPE_API_URL` (default `https://api.stripe.com`; localstripe's URL locally).
    public let apiURL: String
    /// `STRIPE_JS_URL` (default `https://js.stripe.com/v3/`; localstripe's fake locally).
    public let stripeJSURL: String
    /// `STRIPE_PRICE_ID` or, for localstripe and legacy accounts, `STRIPE_PLAN_ID`.
    public let item: StripeClient.Item

    /// Reads the variables; nil when none is set. Problems are appended to `problems`.
    static func read(_ value: (String) -> String?, problems: inout [String]) -> PaymentsConfiguration? {
        let names = ["STRIPE_PUBLISHABLE_KEY", "STRIPE_SECRET_KEY", "STRIPE_SECRET_KEY_ARN", "STRIPE_PRICE_ID", "STRIPE_PLAN_ID"]
        guard names.contains(where: { value($0) != nil }) else { return nil }
        let publishable = value("STRIPE_PUBLISHABLE_KEY") ?? ""
        if !publishable.hasPrefix("pk_") { problems.append("STRIPE_PUBLISHABLE_KEY must be a publishable key (pk_…), got \(publishable.isEmpty ? "nothing" : "another kind of key")") }
        let secret: WebConfiguration.Secret
        switch (value("STRIPE_SECRET_KEY"), value("STRIPE_SECRET_KEY_ARN")) {
        case (let key?, nil): secret = .value(key)
        case (nil, let arn?): secret = .secretsManager(arn)
        case (_?, _?):
            problems.append("set only one of STRIPE_SECRET_KEY and STRIPE_SECRET_KEY_ARN")
            secret = .none
        case (nil, nil):
            problems.append("STRIPE_SECRET_KEY_ARN (or STRIPE_SECRET_KEY locally) is not set")
            secret = .none
        }
        let item: StripeClient.Item
        switch (value("STRIPE_PRICE_ID"), value("STRIPE_PLAN_ID")) {
        case (let price?, nil): item = .price(price)
        case (nil, let plan?): item = .plan(plan)
        default:
            problems.append("set exactly one of STRIPE_PRICE_ID and STRIPE_PLAN_ID")
            item = .price("")
        }
        return PaymentsConfiguration(
            publishableKey: publishable, secretKey: secret, apiURL: value("STRIPE_API_URL") ?? "https://api.stripe.com",
            stripeJSURL: value("STRIPE_JS_URL") ?? "https://js.stripe.com/v3/", item: item)
    }
}
