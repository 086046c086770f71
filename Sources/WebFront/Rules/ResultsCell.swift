import Workflows

/// What the details page shows for a completed job's result file (gas-behaviour.md section 5),
/// decided from the stored storage state and the viewer's current plan (read from the users
/// table on every request, never cached in the session).
public enum ResultsCell: Sendable, Equatable {
    /// A download link.
    case download
    /// Archived and the viewer is free: "upgrade to Premium for download", linking to /subscribe.
    case upgradeToDownload
    /// Archived and the viewer is premium: the thaw is about to start.
    case restoreQueued
    /// A retrieval is under way; the tier decides the wording.
    case restoring(RetrievalTier?)
    /// The restore failed for good.
    case restoreFailed

    /// The rule.
    public static func decide(storage: ResultStorage, restoreFailed: Bool, role: UserRole) -> ResultsCell {
        if restoreFailed, !storage.isInS3 { return .restoreFailed }
        switch storage {
        case .s3, .restored: return .download
        case .archived: return role == .premium ? .restoreQueued : .upgradeToDownload
        case .restoring(_, let retrieval): return .restoring(retrieval?.tier)
        }
    }

    /// The sentence shown instead of a link, if any.
    public var message: String? {
        switch self {
        case .download, .upgradeToDownload: nil
        case .restoreQueued: "The results file is being restored; please check back in a few minutes."
        case .restoring(.expedited?): "File is being expedited restored; please check back in a few minutes."
        case .restoring(.standard?), .restoring(.bulk?): "File is being standard restored; please check back in a few hours."
        case .restoring(nil): "The results file is being restored; please check back in a few minutes."
        case .restoreFailed: "Results file restoration failed. Please contact support."
        }
    }

    /// Whether the page should keep refreshing itself until the state changes.
    public var isTransient: Bool {
        switch self {
        case .restoreQueued, .restoring: true
        case .download, .upgradeToDownload, .restoreFailed: false
        }
    }
}
