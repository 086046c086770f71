import AWSDynamoDB
import Workflows

/// A user's profile (the users table: `user_id`, `name`, `email`, `institution`, `role`).
public struct UserProfile: Sendable, Equatable {
    public var id: String
    public var name: String
    public var email: String
    public var institution: String
    /// nil when the stored role is neither `free_user` nor `premium_user` (shown as unknown, never as premium).
    public var role: UserRole?
    /// The Stripe customer of a subscriber.
    public var stripeCustomerID: String?
    /// The Stripe subscription of a subscriber.
    public var stripeSubscriptionID: String?

    /// The plan the pages apply: an unknown role gets the free user's limits.
    public var plan: UserRole { role ?? .free }

    /// Whether the profile lacks what the site needs (name and email).
    public var isIncomplete: Bool { name.isEmpty || email.isEmpty }

    init(item: DynamoDBItem) {
        id = item["user_id"]?.string ?? ""
        name = item["name"]?.string ?? ""
        email = item["email"]?.string ?? ""
        institution = item["institution"]?.string ?? ""
        role = UserRole(rawValue: item["role"]?.string ?? "")
        stripeCustomerID = item["stripe_customer_id"]?.string
        stripeSubscriptionID = item["stripe_subscription_id"]?.string
    }

    /// Creates a profile.
    public init(id: String, name: String, email: String, institution: String, role: UserRole?) {
        self.id = id
        self.name = name
        self.email = email
        self.institution = institution
        self.role = role
    }
}
