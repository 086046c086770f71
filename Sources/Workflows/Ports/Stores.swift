/// The (versioned) S3 bucket results live in.
public protocol ObjectStore: Sendable {
    /// The current version id of the object, or nil when there is none.
    func version(of location: ObjectLocation) async throws -> String?
    /// Deletes one version of an object (never a newer one written since); a missing version is not an error.
    func delete(_ location: ObjectLocation, version: String) async throws
}

/// Cold storage for results: S3 Glacier storage classes or a Glacier vault.
public protocol ColdStore: Sendable {
    /// Writes a new cold copy of version `version` of the object (never replacing another) and answers its reference.
    func archive(_ location: ObjectLocation, version: String, jobID: String) async throws -> ColdReference
    /// Deletes a cold copy; deleting a missing one is not an error.
    func discard(_ reference: ColdReference) async throws
    /// Starts a retrieval; throws `ColdStoreError.tierUnavailable` when the tier has no capacity.
    func startRetrieval(_ reference: ColdReference, tier: RetrievalTier, jobID: String) async throws -> Retrieval
    /// Writes the retrieved bytes back to `location` in the STANDARD class; throws `ColdStoreError.notReady`
    /// before the retrieval completed.
    func restore(_ reference: ColdReference, retrieval: Retrieval?, to location: ObjectLocation) async throws
}

/// Sends email.
public protocol Mailer: Sendable {
    /// Sends one message, giving up after `within` seconds; throws `MailUnconfirmed` when it may
    /// have gone out (the request reached the mail service but its answer was lost or late), any
    /// other error when it certainly did not.
    func send(to address: String, subject: String, body: String, within: Double) async throws
}

/// A send whose outcome is unknown: the mail service may have accepted it.
public struct MailUnconfirmed: Error, Sendable, Equatable {
    /// What broke.
    public var reason: String

    /// Creates the error.
    public init(_ reason: String) { self.reason = reason }
}
