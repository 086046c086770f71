import Testing
import Workflows

@testable import WebFront

@Suite struct RulesTests {
    @Test(arguments: [
        ("/annotations", true), ("/annotations/x?y=1", true), ("/", true), ("//evil.example", false), ("/\\evil.example", false),
        ("https://evil.example", false), ("javascript:alert(1)", false), ("", false), ("annotations", false), ("/a\nb", false),
        ("/a b", false), ("/a\\b", false),
    ])
    func nextIsOnlyASameSitePath(candidate: String, safe: Bool) {
        #expect(SafeRedirect.isSafe(candidate) == safe)
        #expect(SafeRedirect.path(candidate) == (safe ? candidate : "/annotations"))
    }

    @Test func ownershipDecidesAccess() {
        #expect(JobAccess.decide(viewer: "a", owner: "a") == .allowed)
        #expect(JobAccess.decide(viewer: "a", owner: "b") == .forbidden)
        #expect(JobAccess.decide(viewer: "a", owner: nil) == .notFound)
    }

    @Test func freeUsersAreLimitedPremiumAreNot() {
        let limit = UploadLimit()
        #expect(limit.bytes(for: .free) == 153_600)
        #expect(limit.allows(size: 153_600, role: .free))
        #expect(!limit.allows(size: 153_601, role: .free))
        #expect(limit.allows(size: 5 << 30, role: .premium))
        #expect(!limit.allows(size: -1, role: .premium))
    }

    /// Every storage state against every plan, with and without a recorded restore failure.
    @Test func resultsCellForEveryStateAndPlan() {
        let ref = ColdReference("archive/j/1")
        let states: [(ResultStorage, free: ResultsCell, premium: ResultsCell)] = [
            (.s3, .download, .download),
            (.restored(pendingDelete: nil), .download, .download),
            (.restored(pendingDelete: ref), .download, .download),
            (.archived(ref, originalVersion: "v"), .upgradeToDownload, .restoreQueued),
            (.restoring(ref, nil), .restoring(nil), .restoring(nil)),
            (.restoring(ref, Retrieval(tier: .expedited, id: "r")), .restoring(.expedited), .restoring(.expedited)),
            (.restoring(ref, Retrieval(tier: .standard, id: "r")), .restoring(.standard), .restoring(.standard)),
        ]
        for (storage, free, premium) in states {
            #expect(ResultsCell.decide(storage: storage, restoreFailed: false, role: .free) == free)
            #expect(ResultsCell.decide(storage: storage, restoreFailed: false, role: .premium) == premium)
            let failed = ResultsCell.decide(storage: storage, restoreFailed: true, role: .premium)
            #expect(failed == (storage.isInS3 ? .download : .restoreFailed))
        }
        #expect(ResultsCell.restoring(.expedited).message?.contains("few minutes") == true)
        #expect(ResultsCell.restoring(.standard).message?.contains("few hours") == true)
        #expect(ResultsCell.restoreFailed.message == "Results file restoration failed. Please contact support.")
    }

    @Test func inputKeysMustBeTheUsersOwn() throws {
        let id = "93a2e523-872f-46f1-901b-c35560cd3b83"
        let key = try InputKey(parsing: "gas/ada/\(id)~my sample.vcf", prefix: "gas/", userID: "ada")
        #expect(key.jobID == id && key.fileName == "my sample.vcf")
        #expect(throws: InputKey.Problem.notYours) { try InputKey(parsing: "gas/bob/\(id)~x.vcf", prefix: "gas/", userID: "ada") }
        #expect(throws: InputKey.Problem.notYours) { try InputKey(parsing: "gas/adam/\(id)~x.vcf", prefix: "gas/", userID: "ada") }
        #expect(throws: InputKey.Problem.self) { try InputKey(parsing: "gas/ada/not-a-uuid~x.vcf", prefix: "gas/", userID: "ada") }
        #expect(throws: InputKey.Problem.self) { try InputKey(parsing: "gas/ada/\(id)~", prefix: "gas/", userID: "ada") }
        #expect(throws: InputKey.Problem.self) { try InputKey(parsing: "gas/ada/\(id)~a/b.vcf", prefix: "gas/", userID: "ada") }
        #expect(throws: InputKey.Problem.self) { try InputKey(parsing: "gas/ada/\(id.uppercased())~x.vcf", prefix: "gas/", userID: "ada") }
    }

    /// America/Chicago across both daylight-saving changes of 2026 (8 March, 1 November).
    @Test func chicagoTimeWithDaylightSaving() throws {
        let zone = try #require(DisplayTime(zone: "America/Chicago"))
        #expect(zone.format(1_772_956_799) == "2026-03-08 @ 01:59:59 CST")  // 07:59:59 UTC
        #expect(zone.format(1_772_956_800) == "2026-03-08 @ 03:00:00 CDT")  // 08:00:00 UTC
        #expect(zone.format(1_793_516_399) == "2026-11-01 @ 01:59:59 CDT")  // 06:59:59 UTC
        #expect(zone.format(1_793_516_400) == "2026-11-01 @ 01:00:00 CST")  // 07:00:00 UTC
        #expect(DisplayTime(zone: "UTC")?.format(0) == "1970-01-01 @ 00:00:00 UTC")
        #expect(DisplayTime(zone: "Europe/London")?.format(1_782_864_000) == "2026-07-01 @ 01:00:00 BST")
        #expect(DisplayTime(zone: "Mars/Olympus") == nil)
    }

    @Test func profileFieldsAreRequiredAndChecked() {
        guard case .success(let form) = ProfileForm.validate(name: "  Ada ", email: "ada@example.org", institution: "UChicago") else {
            Issue.record("a valid form was refused")
            return
        }
        #expect(form.name == "Ada")
        guard case .failure(let problems) = ProfileForm.validate(name: "", email: "not-an-email", institution: String(repeating: "x", count: 201)) else {
            Issue.record("an invalid form was accepted")
            return
        }
        #expect(problems.messages.count == 3)
    }

    @Test func htmlEscapesWhatItShows() {
        let name = "<script>alert(1)</script>.vcf"
        let html: HTML = "<td>\(name)</td><a title=\"\("\"'")\">"
        #expect(html.markup == "<td>&lt;script&gt;alert(1)&lt;/script&gt;.vcf</td><a title=\"&quot;&#39;\">")
    }

    @Test func pkceChallengeIsRFC7636() {
        // RFC 7636 appendix B.
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.makeVerifier().count == 43)
        #expect(PKCE.makeVerifier() != PKCE.makeVerifier())
    }
}
