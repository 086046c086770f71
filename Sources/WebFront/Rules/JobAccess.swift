/// Who may see a job: only its owner. Decided before anything about the job is shown.
public enum JobAccess: Sendable, Equatable {
    case allowed
    /// The job exists but belongs to someone else: 403 "Not authorized".
    case forbidden
    /// No such job: 404.
    case notFound

    /// The rule: a missing job is 404 for everyone; another user's job is 403.
    public static func decide(viewer: String, owner: String?) -> JobAccess {
        guard let owner else { return .notFound }
        return owner == viewer ? .allowed : .forbidden
    }
}
