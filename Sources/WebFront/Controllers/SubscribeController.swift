import AWSSigV4
import Hummingbird
import Logging
import Stripe
import Workflows

/// `/subscribe` (the card form and the upgrade) and `/unsubscribe` (back to free).
struct SubscribeController {
    let pages: Pages

    func add(to router: Router<WebContext>) {
        router.get("/subscribe", use: form)
        pages.stateChanging(router).post("/subscribe", use: subscribe)
        router.only("/subscribe", [.get, .post])
        pages.stateChanging(router).post("/unsubscribe", use: unsubscribe)
        router.only("/unsubscribe", [.post])
    }

    @Sendable func form(_ request: Request, context: WebContext) async throws -> Response {
        let user = try await pages.user(request, context: context)
        if user.plan == .premium { return .redirect(to: "/profile", type: .normal) }
        guard let payments = pages.configuration.payments else {
            return try pages.render("Subscribe", SubscribePage.unavailable(), context: context, user: user).response(from: request, context: context)
        }
        let page = SubscribePage.render(
            publishableKey: payments.publishableKey, stripeJSURL: payments.stripeJSURL, csrf: context.session.csrfToken(), email: user.email)
        return try pages.render("Subscribe", page, context: context, user: user).response(from: request, context: context)
    }

    @Sendable func subscribe(_ request: Request, context: WebContext) async throws -> Response {
        let user = try await pages.user(request, context: context)
        guard let payments = pages.configuration.payments, let stripe = pages.services.stripe else {
            throw PageError(status: .serviceUnavailable, message: "Subscriptions are not available on this site.")
        }
        if user.plan == .premium {
            // A second submit of the same form: the first one already upgraded.
            guard let customer = user.stripeCustomerID else { return .redirect(to: "/profile", type: .normal) }
            return try pages.render("Subscription Succeeded", SubscribePage.succeeded(customerID: customer), context: context, user: user)
                .response(from: request, context: context)
        }
        let form = try await FormFields.read(request, context: context)
        guard let token = form["stripe_token"], !token.isEmpty, token.utf8.count <= 255 else {
            return retry("The card form did not send a card; please enter it again.", context: context)
        }
        // The same user and card give the same keys: a retried or doubled submit creates one of each.
        let key = Hex.encode(SHA256.hash(Array("\(user.id)\n\(token)".utf8)))
        let subscription: StripeClient.Subscription
        let customer: StripeClient.Customer
        do {
            customer = try await stripe.createCustomer(email: user.email, source: token, userID: user.id, idempotencyKey: "gas-customer-\(key)")
            subscription = try await stripe.createSubscription(customer: customer.id, item: payments.item, idempotencyKey: "gas-subscription-\(key)")
        } catch {
            context.logger.notice("subscription refused", metadata: ["user.id": "\(user.id)", "error": "\(error)"])
            return retry(Self.message(for: error), context: context)
        }
        guard subscription.isPaid else {
            // An incomplete subscription (the first charge failed) must not linger at Stripe.
            do { try await stripe.cancelSubscription(subscription.id) } catch {
                context.logger.error("cannot cancel an unpaid subscription", metadata: ["subscription": "\(subscription.id)", "error": "\(error)"])
            }
            return retry("Your card could not be charged (the subscription is \(subscription.status)); please try another card.", context: context)
        }
        let now = Pages.now()
        let store = pages.services.store
        if try await store.upgrade(userID: user.id, customerID: customer.id, subscriptionID: subscription.id, at: now) {
            context.logger.info("upgraded", metadata: ["user.id": "\(user.id)", "customer": "\(customer.id)"])
            do {
                try await store.requestThaw(userID: user.id, requestedAt: now)
            } catch {
                // The marker written with the role stays: the request sweep sends the thaw again.
                context.logger.error("thaw request not published yet", metadata: ["user.id": "\(user.id)", "error": "\(error)"])
            }
        } else if try await store.user(user.id)?.role != .premium {
            // Paid, but the stored role is neither free nor premium: never claim an upgrade that did not happen.
            context.logger.error("paid but not upgraded", metadata: ["user.id": "\(user.id)", "customer": "\(customer.id)"])
            throw PageError(
                status: .internalServerError,
                message: "Your subscription was created (customer \(customer.id)) but your account could not be upgraded. Please contact support.")
        }
        var upgraded = user
        upgraded.role = .premium
        return try pages.render("Subscription Succeeded", SubscribePage.succeeded(customerID: customer.id), context: context, user: upgraded)
            .response(from: request, context: context)
    }

    @Sendable func unsubscribe(_ request: Request, context: WebContext) async throws -> Response {
        let user = try await pages.user(request, context: context)
        guard user.plan == .premium else { return .redirect(to: "/profile", type: .normal) }
        if let subscription = user.stripeSubscriptionID, let stripe = pages.services.stripe {
            do {
                try await stripe.cancelSubscription(subscription)
            } catch .invalidRequest {
                // Already cancelled or unknown at Stripe: nothing is billed, go on.
            } catch {
                context.logger.error("cannot cancel the subscription", metadata: ["user.id": "\(user.id)", "error": "\(error)"])
                context.session.flash("The subscription could not be cancelled right now (\(error)); you are still Premium. Please try again.", .danger)
                return .redirect(to: "/profile", type: .normal)
            }
        }
        _ = try await pages.services.store.downgrade(userID: user.id)
        context.logger.info("downgraded", metadata: ["user.id": "\(user.id)"])
        context.session.flash("You are on the free plan again. Results already restored stay available; new results are archived after the retention time.", .info)
        return .redirect(to: "/profile", type: .normal)
    }

    func retry(_ message: String, context: WebContext) -> Response {
        context.session.flash(message, .danger)
        return .redirect(to: "/subscribe", type: .normal)
    }

    /// What the user reads for each kind of Stripe failure (never the secret, never raw JSON).
    static func message(for error: StripeError) -> String {
        switch error {
        case .card(_, _, let message): "Your card was refused: \(message)"
        case .rateLimit: "Our payment provider is busy right now; please try again in a minute."
        case .connection: "Our payment provider could not be reached; please try again in a minute."
        case .invalidRequest, .api: "The subscription could not be created (\(error)). Please contact support if this persists."
        case .authentication: "The subscription could not be created: our payment provider refused our configuration. Please contact support."
        }
    }
}
