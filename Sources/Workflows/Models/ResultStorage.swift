/// A handle on the cold copy of a result: a Glacier archive id, or the key of an object in a
/// Glacier storage class.
public struct ColdReference: Sendable, Hashable, CustomStringConvertible {
    /// The id or key.
    public var value: String

    /// Wraps an id or key.
    public init(_ value: String) { self.value = value }

    public var description: String { value }
}

/// How fast a retrieval comes back.
public enum RetrievalTier: String, Sendable, Codable, CaseIterable {
    case expedited = "Expedited"
    case standard = "Standard"
    case bulk = "Bulk"
}

/// A started retrieval of a cold copy.
public struct Retrieval: Sendable, Hashable {
    /// Its tier.
    public var tier: RetrievalTier
    /// The Glacier job id, or the restore marker of the S3 backend.
    public var id: String

    /// Creates a retrieval.
    public init(tier: RetrievalTier, id: String) {
        self.tier = tier
        self.id = id
    }
}

/// Where a completed job's result file is: the storage state machine.
///
/// ```
///   s3 ──archive commit──> archived(ref, v) ──thaw claim──> restoring(ref, nil) ──retrieval started──> restoring(ref, r)
///                                                                                                        │ restore commit
///   restored(nil) <──cold copy deleted── restored(pendingDelete: ref) <──────────────────────────────────┘
/// ```
/// Invariant: the result is in S3 at its key whenever the state is `s3` or `restored`, and in the
/// cold store at `ref` whenever it is `archived`, `restoring` or `restored(pendingDelete: ref)`;
/// every transition is a conditional write on the state read, and no copy is deleted before the
/// state naming the other copy is committed. The S3 original is deleted by its version id `v`
/// (the results bucket is versioned), so a late or duplicate archive run can never delete the
/// object a restore wrote back at the same key.
public enum ResultStorage: Sendable, Hashable {
    /// In S3, in the STANDARD class.
    case s3
    /// Only the cold copy is meant to exist; the S3 original, version `originalVersion`, is deleted
    /// right after the commit (again by any redelivered archive run); nil when there is none to delete.
    case archived(ColdReference, originalVersion: String?)
    /// A retrieval is claimed (`nil`) or started.
    case restoring(ColdReference, Retrieval?)
    /// Back in S3; the cold copy is deleted when `pendingDelete` is nil.
    case restored(pendingDelete: ColdReference?)

    /// Whether the result can be downloaded from S3.
    public var isInS3: Bool {
        switch self {
        case .s3, .restored: true
        case .archived, .restoring: false
        }
    }

    /// The cold copy this state names, if any.
    public var coldReference: ColdReference? {
        switch self {
        case .s3: nil
        case .archived(let ref, _), .restoring(let ref, _): ref
        case .restored(let pending): pending
        }
    }
}
