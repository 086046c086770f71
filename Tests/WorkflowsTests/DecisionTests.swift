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

    @Test(arguments: states)
    func restoreCopiesBackOnlyTheReferencedCopy(_ storage: ResultStorage) {
        #expect(RestoreWorkflow.decide(storage, completed: Self.other) == (storage == .restored(pendingDelete: Self.ref) ? .deleteCold(Self.ref) : .finish(.alreadyRestored)))
        let decision = RestoreWorkflow.decide(storage, completed: Self.ref)
        switch storage {
        case .restoring(_, let retrieval): #expect(decision == .copyBack(Self.ref, retrieval))
        case .archived: #expect(decision == .copyBack(Self.ref, nil))
        case .restored(.some): #expect(decision == .deleteCold(Self.ref))
        case .restored(nil), .s3: #expect(decision == .finish(.alreadyRestored))
        }
    }
}
