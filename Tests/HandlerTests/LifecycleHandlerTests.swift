@testable import ArchiveHandler
import AWSCore
import AWSDynamoDB
import AWSGlacier
import AWSS3
import AWSSES
import LambdaEvents
import LambdaRuntime
import Foundation
import GASHandlers
@testable import NotifyHandler
@testable import RestoreHandler
import TestSupport
import Testing
@testable import ThawHandler
import Workflows
import WorkflowsAWS

/// The handlers against moto, on both cold-store backends.
@Suite(.serialized) struct LifecycleHandlerTests {
    private func lambdas(_ fixture: GASFixture) -> (ArchiveLambda, ThawLambda, RestoreLambda) {
        let services = fixture.services
        return (
            ArchiveLambda(workflow: ArchiveWorkflow(jobs: services.jobs, users: services.users, objects: services.objects, cold: services.cold, logger: fixture.logger)),
            ThawLambda(workflow: ThawWorkflow(jobs: services.jobs, cold: services.cold, logger: fixture.logger), users: services.users),
            RestoreLambda(workflow: RestoreWorkflow(jobs: services.jobs, objects: services.objects, cold: services.cold, logger: fixture.logger))
        )
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["admin", ""])
    func aUserWithAnUnknownOrNoRoleIsNeverArchived(_ role: String) async throws {
        // Read as free, the commit's free_user condition failed for ever: copy, discard, copy… (issue 10, item 1).
        let fixture = try await GASFixture(role: role)
        let (archive, _, _) = lambdas(fixture)
        #expect(try await archive.handle(.init(job_id: "job-1"), context: fixture.context()).outcome == "skippedPremium")
        #expect(try await fixture.job()["results_storage"] != "ARCHIVED")
        _ = try await fixture.s3.headObject(bucket: fixture.bucket, key: fixture.resultKey)
        #expect(try await fixture.s3.listObjectsV2(bucket: fixture.bucket, prefix: "archive/").objects.isEmpty, "no cold copy was made")
    }

    @Test(.timeLimit(.minutes(1))) func anItemTheOriginalGASArchivedIsThawed() async throws {
        // An archive id without `results_storage` read as archived but every claim's condition
        // failed, and the thaw spun until its timeout (issue 10, item 7).
        let fixture = try await GASFixture(backend: "glacier-vault")
        let (archive, thaw, _) = lambdas(fixture)
        _ = try await archive.handle(.init(job_id: "job-1"), context: fixture.context())
        try await fixture.db.updateItem(
            table: fixture.environment["ANNOTATIONS_TABLE"]!, key: ["job_id": "job-1"], update: "REMOVE results_storage, results_original_version")
        try await fixture.setRole("premium_user")
        let upgrade = try GASFixture.snsEnvelope(#"{"user_id":"u1"}"#)
        #expect(try await thaw.handle(try GASFixture.sqsEvent([upgrade]), context: fixture.context()).batchItemFailures.isEmpty)
        let item = try await fixture.job()
        #expect(item["results_storage"] == "RESTORING")
        #expect(item["retrieval_id"]?.string != nil)
    }

    @Test func aFailedOrExpiredVaultRetrievalIsStartedAgain() async throws {
        // A failed retrieval used to put the job back to ARCHIVED with nothing to thaw it again, and any
        // failure reverted even a live one (issue 10, item 4).
        let fixture = try await GASFixture(backend: "glacier-vault")
        let (archive, thaw, restore) = lambdas(fixture)
        _ = try await archive.handle(.init(job_id: "job-1"), context: fixture.context())
        try await fixture.setRole("premium_user")
        _ = try await thaw.handle(try GASFixture.sqsEvent([try GASFixture.snsEnvelope(#"{"user_id":"u1"}"#)]), context: fixture.context())
        let archiveID = try #require(try await fixture.job()["results_file_archive_id"]?.string)
        let first = try #require(try await fixture.job()["retrieval_id"]?.string)
        func notice(_ retrieval: String, _ status: String) throws -> SQSEvent {
            try GASFixture.sqsEvent([
                try GASFixture.snsEnvelope(
                    #"{"Action":"ArchiveRetrieval","ArchiveId":"\#(archiveID)","Completed":true,"JobDescription":"job-1","JobId":"\#(retrieval)","StatusCode":"\#(status)","Tier":"Expedited"}"#)
            ])
        }
        #expect(try await restore.handle(try notice(first, "Failed"), context: fixture.context()).batchItemFailures.isEmpty)
        let second = try #require(try await fixture.job()["retrieval_id"]?.string)
        #expect(second != first, "a new retrieval is started and recorded")
        #expect(try await fixture.job()["results_storage"] == "RESTORING")
        // The first failure again (a redelivery) is stale: the live retrieval stays.
        #expect(try await restore.handle(try notice(first, "Failed"), context: fixture.context()).batchItemFailures.isEmpty)
        #expect(try await fixture.job()["retrieval_id"]?.string == second)
        // An expired job (Glacier answers ResourceNotFoundException, which moto does not) is covered
        // on the workflow: aRestoredCopyThatExpiredBeforeItWasReadIsRetrievedAgain.
    }

    @Test func theThawClearsOnlyTheRequestItThawed() async throws {
        let fixture = try await GASFixture()
        let (archive, thaw, _) = lambdas(fixture)
        _ = try await archive.handle(.init(job_id: "job-1"), context: fixture.context())
        let users = fixture.environment["USERS_TABLE"]!
        func marker() async throws -> Int? {
            try await fixture.db.getItem(table: users, key: ["user_id": "u1"], consistentRead: true)?["thaw_requested_at"]?.int
        }
        try await fixture.db.updateItem(
            table: users, key: ["user_id": "u1"], update: "SET #r = :p, thaw_requested_at = :t",
            attributes: .init(names: ["#r": "role"], values: [":p": "premium_user", ":t": .int(200)]))
        // A stale request (an earlier upgrade's, re-sent) thaws but leaves the newer marker.
        let stale = try GASFixture.snsEnvelope(#"{"user_id":"u1","requested_at":100}"#)
        #expect(try await thaw.handle(try GASFixture.sqsEvent([stale]), context: fixture.context()).batchItemFailures.isEmpty)
        #expect(try await fixture.job()["results_storage"] == "RESTORING")
        #expect(try await marker() == 200)
        let current = try GASFixture.snsEnvelope(#"{"user_id":"u1","requested_at":200}"#)
        #expect(try await thaw.handle(try GASFixture.sqsEvent([current]), context: fixture.context()).batchItemFailures.isEmpty)
        #expect(try await marker() == nil, "the request is confirmed once every archived result is claimed")
        // A message without a time (the original's shape) clears whatever is there, and twice is harmless.
        #expect(try await thaw.handle(try GASFixture.sqsEvent([try GASFixture.snsEnvelope(#"{"user_id":"u1"}"#)]), context: fixture.context()).batchItemFailures.isEmpty)
    }

    @Test func storageClassBackendArchivesThawsAndRestores() async throws {
        let fixture = try await GASFixture()
        let (archive, thaw, restore) = lambdas(fixture)
        let archived = try await archive.handle(.init(job_id: "job-1"), context: fixture.context())
        #expect(archived == .init(job_id: "job-1", outcome: "archived"))
        let item = try await fixture.job()
        #expect(item["results_storage"] == "ARCHIVED")
        let archiveKey = try #require(item["results_file_archive_id"]?.string)
        #expect(archiveKey.hasPrefix("archive/job-1/"))
        #expect(try await fixture.s3.headObject(bucket: fixture.bucket, key: archiveKey).storageClass == "GLACIER")
        let gone = await #expect(throws: AWSError.self) { try await fixture.s3.headObject(bucket: fixture.bucket, key: fixture.resultKey) }
        #expect(gone?.code == "NoSuchKey")
        // A redelivered archive request changes nothing.
        #expect(try await archive.handle(.init(job_id: "job-1"), context: fixture.context()).outcome == "alreadyArchived")

        try await fixture.setRole("premium_user")
        let upgrade = try GASFixture.snsEnvelope(#"{"user_id":"u1"}"#)
        let thawed = try await thaw.handle(try GASFixture.sqsEvent([upgrade]), context: fixture.context())
        #expect(thawed.batchItemFailures.isEmpty)
        #expect(try await fixture.job()["results_storage"] == "RESTORING")
        #expect(try await fixture.job()["retrieval_tier"] == "Expedited")
        // A repeated upgrade event starts nothing twice.
        #expect(try await thaw.handle(try GASFixture.sqsEvent([upgrade]), context: fixture.context()).batchItemFailures.isEmpty)

        let encodedKey = archiveKey.replacingOccurrences(of: "/", with: "%2F")
        let s3Event = #"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectRestore:Completed","s3":{"bucket":{"name":"\#(fixture.bucket)"},"object":{"key":"\#(encodedKey)","size":60}}}]}"#
        let restored = try await restore.handle(try GASFixture.sqsEvent([s3Event, try GASFixture.snsEnvelope(s3Event)]), context: fixture.context())
        #expect(restored.batchItemFailures.isEmpty)
        let final = try await fixture.job()
        #expect(final["results_storage"] == "RESTORED")
        #expect(final["results_file_archive_id"] == nil)
        let object = try await fixture.s3.getObject(bucket: fixture.bucket, key: fixture.resultKey)
        #expect(object.body == GASFixture.resultBytes)
        #expect(object.storageClass == "STANDARD")
        await #expect(throws: AWSError.self) { try await fixture.s3.headObject(bucket: fixture.bucket, key: archiveKey) }
    }

    @Test func premiumResultsStayInS3() async throws {
        let fixture = try await GASFixture(role: "premium_user")
        let (archive, _, _) = lambdas(fixture)
        #expect(try await archive.handle(.init(job_id: "job-1"), context: fixture.context()).outcome == "skippedPremium")
        #expect(try await fixture.s3.getObject(bucket: fixture.bucket, key: fixture.resultKey).body == GASFixture.resultBytes)
        #expect(try await fixture.job()["results_storage"] == nil)
    }

    @Test func vaultBackendArchivesThawsAndRestores() async throws {
        let fixture = try await GASFixture(backend: "glacier-vault")
        let (archive, thaw, restore) = lambdas(fixture)
        #expect(try await archive.handle(.init(job_id: "job-1"), context: fixture.context()).outcome == "archived")
        let archiveID = try #require(try await fixture.job()["results_file_archive_id"]?.string)
        await #expect(throws: AWSError.self) { try await fixture.s3.headObject(bucket: fixture.bucket, key: fixture.resultKey) }

        try await fixture.setRole("premium_user")
        _ = try await thaw.handle(try GASFixture.sqsEvent([try GASFixture.snsEnvelope(#"{"user_id":"u1"}"#)]), context: fixture.context())
        let retrievalID = try #require(try await fixture.job()["retrieval_id"]?.string)

        // moto ignores the job's SNS topic: wait for the job, then deliver the message AWS would publish.
        let glacier = GlacierClient(client: fixture.services.aws)
        let vault = fixture.environment["GLACIER_VAULT"]!
        let deadline = Date().addingTimeInterval(30)
        var job = try await glacier.describeJob(vault: vault, jobID: retrievalID)
        while !job.Completed && Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            job = try await glacier.describeJob(vault: vault, jobID: retrievalID)
        }
        let notification = #"{"Action":"ArchiveRetrieval","ArchiveId":"\#(archiveID)","Completed":true,"JobDescription":"job-1","JobId":"\#(retrievalID)","StatusCode":"Succeeded","Tier":"Expedited","VaultARN":"arn:aws:glacier:us-east-1:123456789012:vaults/\#(vault)"}"#
        let restored = try await restore.handle(try GASFixture.sqsEvent([try GASFixture.snsEnvelope(notification)]), context: fixture.context())
        #expect(restored.batchItemFailures.isEmpty)
        #expect(try await fixture.job()["results_storage"] == "RESTORED")
        #expect(try await fixture.s3.getObject(bucket: fixture.bucket, key: fixture.resultKey).body == GASFixture.resultBytes)
        // A duplicate completion is a no-op.
        #expect(try await restore.handle(try GASFixture.sqsEvent([try GASFixture.snsEnvelope(notification)]), context: fixture.context()).batchItemFailures.isEmpty)
    }

    @Test func errorsCarryStableTypesAndFailOnlyTheirRecord() async throws {
        let fixture = try await GASFixture()
        let (archive, thaw, restore) = lambdas(fixture)
        let missing = await #expect(throws: HandlerFailure.self) { try await archive.handle(.init(job_id: "nope"), context: fixture.context()) }
        #expect(missing?.errorType == "GAS.Permanent.JobNotFound")
        let batch = try GASFixture.sqsEvent([try GASFixture.snsEnvelope(#"{"user_id":"u1"}"#), "not json", try GASFixture.snsEnvelope(#"{"user":"u1"}"#)])
        #expect(try await thaw.handle(batch, context: fixture.context()).batchItemFailures.map(\.itemIdentifier) == ["m1", "m2"])
        let unknown = #"{"Records":[{"eventName":"ObjectRestore:Completed","s3":{"bucket":{"name":"b"},"object":{"key":"not-an-archive-key"}}}]}"#
        let ignored = #"{"Records":[{"eventName":"ObjectRestore:Post","s3":{"bucket":{"name":"b"},"object":{"key":"archive%2Fjob-1%2F1"}}}]}"#
        #expect(try await restore.handle(try GASFixture.sqsEvent([unknown, ignored]), context: fixture.context()).batchItemFailures.map(\.itemIdentifier) == ["m0"])
    }

    @Test func notifySendsOneEmailPerJob() async throws {
        let fixture = try await GASFixture()
        let services = fixture.services
        let notify = NotifyLambda(
            workflow: NotifyWorkflow(
                jobs: services.jobs, ledger: services.jobs, users: services.users, mailer: services.mailer,
                jobPageBaseURL: "https://gas.example.org/annotations", logger: fixture.logger))
        try await SESClient(client: services.aws).createEmailIdentity("gas@example.org")
        let message = try GASFixture.snsEnvelope(#"{"job_id":"job-1"}"#)
        #expect(try await notify.handle(try GASFixture.sqsEvent([message]), context: fixture.context()).batchItemFailures.isEmpty)
        #expect(try await notify.handle(try GASFixture.sqsEvent([message]), context: fixture.context()).batchItemFailures.isEmpty)
        let data = String(decoding: try await MotoServer.shared.get("/moto-api/data.json"), as: UTF8.self)
        #expect(data.components(separatedBy: "Results available for job job-1").count - 1 == 1)
        #expect(data.contains("https://gas.example.org/annotations/job-1"))
        #expect(try await fixture.job()["notified"] == .bool(true))
    }
}
