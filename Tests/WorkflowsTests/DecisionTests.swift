import Testing
import Workflows

/// The pure decisions, over every storage state.
@Suite struct DecisionTests {
    static let ref = ColdReference("ref-1")
    static let other = ColdReference("ref-2")
    static let retrieval = Retrieval(tier: .expedited, id: "r1")
    static let states: [ResultStorage] = [
        .s3, .archived(ref, originalVersion: "v1"), .archived(ref, originalVersion: nil), .restoring(ref, nil), .restoring(ref, retrieval),
        .restored(pendingDelete: ref), .restored(pendingDelete: nil),
    ]

    @Test(arguments: states, [UserRole.free, .premium])
    func archiveArchivesOnlyAFreeUsersResultInS3(_ storage: ResultStorage, _ role: UserRole) {
        let decision = ArchiveWorkflow.decide(storage: storage, role: role)
        switch (storage, role) {
        case (.s3, .free): #expect(decision == .copyAndCommit)
        case (.s3, .premium): #expect(decision == .finish(.skippedPremium))
        case (.archived(_, "v1"), _): #expect(decision == .deleteOriginal(version: "v1"))
        case (.archived(_, nil), _), (.restoring, _): #expect(decision == .finish(.alreadyArchived))
        case (.restored, _): #expect(decision == .finish(.skippedRestored))
        default: Issue.record("unexpected \(storage)")
        }
    }

    @Test(arguments: states)
    func thawClaimsArchivedResultsAndResumesClaims(_ storage: ResultStorage) {
        let decision = ThawWorkflow.decide(storage)
        switch storage {
        case .archived: #expect(decision == .claim(Self.ref))
        case .restoring(_, nil): #expect(decision == .start(Self.ref))
        case .restoring(_, .some): #expect(decision == .skip(.alreadyThawing))
        case .s3, .restored: #expect(decision == .skip(.notArchived))
        }
    }

    static let completions: [RetrievalCompletion] = [
        .init(jobID: "job-1", reference: ref, retrievalID: nil), .init(jobID: "job-1", reference: ref, retrievalID: "r1"),
        .init(jobID: "job-1", reference: ref, retrievalID: "r0"), .init(jobID: "job-1", reference: ref, retrievalID: nil, succeeded: false),
        .init(jobID: "job-1", reference: ref, retrievalID: "r1", succeeded: false), .init(jobID: "job-1", reference: ref, retrievalID: "r0", succeeded: false),
    ]

    @Test(arguments: states, completions)
    func restoreActsOnlyOnTheReferencedCopyAndTheLiveRetrieval(_ storage: ResultStorage, _ completion: RetrievalCompletion) {
        var elsewhere = completion
        elsewhere.reference = Self.other
        #expect(RestoreWorkflow.decide(storage, elsewhere) == (storage == .restored(pendingDelete: Self.ref) ? .deleteCold(Self.ref) : .finish(.alreadyRestored)))
        let decision = RestoreWorkflow.decide(storage, completion)
        let completed = completion.retrievalID
        switch storage {
        case .restoring(_, let recorded) where completion.succeeded:
            // What completed is read, whatever was recorded; without an id, the recorded one.
            #expect(decision == .copyBack(Self.ref, completed.map { Retrieval(tier: recorded?.tier ?? .standard, id: $0) } ?? recorded))
        case .restoring(_, let recorded?) where completed != nil && completed != recorded.id:
            #expect(decision == .finish(.staleCompletion), "a failure of an earlier retrieval never stops the live one")
        case .restoring: #expect(decision == .restart(Self.ref))
        case .archived where completion.succeeded: #expect(decision == .copyBack(Self.ref, completed.map { Retrieval(tier: .standard, id: $0) }))
        case .archived: #expect(decision == .finish(.staleCompletion))
        case .restored(.some): #expect(decision == .deleteCold(Self.ref))
        case .restored(nil), .s3: #expect(decision == .finish(.alreadyRestored))
        }
    }
}
