@testable import ArchiveHandler
import AWSDynamoDB
import AWSGlacier
import AWSS3
import AWSSQS
import Foundation
import GASHandlers
import HTTPTransport
import LambdaRuntime
@testable import ReconcileHandler
import Testing
import Workflows
import WorkflowsAWS

extension LifecycleHandlerTests {
    private func reconciler(_ fixture: GASFixture, limits: ReconcileWorkflow.Limits = .init()) -> ReconcileWorkflow {
        let services = fixture.services
        return ReconcileWorkflow(
            source: DynamoDBReconcileSource(jobs: services.jobs, inventory: services.inventory), jobs: services.jobs, users: services.users,
            objects: services.objects, cold: services.cold, probe: services.inventory, limits: limits, logger: fixture.logger)
    }

    @Test(arguments: ["s3-glacier", "glacier-vault"])
    func theReconcilerThawsWhatAThawMissedAndRestoresWhatALostCompletionLeft(_ backend: String) async throws {
        // An archive committed just before the upgrade can be missed by the thaw's index query, and a
        // completion can be dead-lettered: nothing brought either back (issue 10, items 4 and 5).
        let fixture = try await GASFixture(backend: backend)
        let archive = ArchiveLambda(
            workflow: ArchiveWorkflow(jobs: fixture.services.jobs, users: fixture.services.users, objects: fixture.services.objects, cold: fixture.services.cold, logger: fixture.logger))
        _ = try await archive.handle(.init(job_id: "job-1"), context: fixture.context())
        try await fixture.setRole("premium_user")
        let lambda = ReconcileLambda(workflow: reconciler(fixture))
        #expect(try await lambda.handle(.init(), context: fixture.context()).repairs == ["thaw": 1])
        #expect(try await fixture.job()["results_storage"] == "RESTORING")
        if backend == "glacier-vault" {
            let retrieval = try #require(try await fixture.job()["retrieval_id"]?.string)
            let glacier = GlacierClient(client: fixture.services.aws)
            let deadline = Date().addingTimeInterval(30)
            while try await !glacier.describeJob(vault: fixture.environment["GLACIER_VAULT"]!, jobID: retrieval).Completed && Date() < deadline {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        #expect(try await lambda.handle(.init(), context: fixture.context()).repairs == ["restore": 1])
        #expect(try await fixture.job()["results_storage"] == "RESTORED")
        #expect(try await fixture.s3.getObject(bucket: fixture.bucket, key: fixture.resultKey).body == GASFixture.resultBytes)
        #expect(try await lambda.handle(.init(), context: fixture.context()).repairs.isEmpty, "idempotent")
    }

    @Test func theReconcilerFailsAJobWithoutAnOwnerAndDiscardsAnOrphan() async throws {
        let fixture = try await GASFixture()
        let table = fixture.environment["ANNOTATIONS_TABLE"]!
        let now = Int(Date().timeIntervalSince1970)
        try await fixture.db.putItem(
            table: table, item: ["job_id": "job-2", "user_id": "u1", "job_status": "RUNNING", "submit_time": .int(now - 9000), "run_claimed_at": .int(now - 8000)])
        try await fixture.s3.putObject(bucket: fixture.bucket, key: "archive/job-1/12345", body: .bytes([1]))
        let limits = ReconcileWorkflow.Limits(runDeadlineSeconds: 3600, orphanGraceSeconds: 1)
        #expect(try await reconciler(fixture, limits: limits).run(now: now + 60) == ["abandon": 1, "discardOrphan": 1])
        let stuck = try #require(try await fixture.db.getItem(table: table, key: ["job_id": "job-2"], consistentRead: true))
        #expect(stuck["job_status"] == "FAILED")
        #expect(stuck["failure_reason"]?.string?.hasPrefix("the annotation stopped") == true)
        #expect(try await fixture.s3.listObjectsV2(bucket: fixture.bucket, prefix: "archive/").objects.isEmpty)
        #expect(try await fixture.job()["job_status"] == "COMPLETED", "a settled job is not touched")
    }

    @Test func theReconcilerSendsDeadLettersBackToTheirQueueAndKeepsWhatCannotBeRead() async throws {
        let fixture = try await GASFixture()
        let sqs = SQSClient(client: fixture.services.aws)
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let source = try await sqs.createQueue("notify-\(suffix)"), dead = try await sqs.createQueue("notify-dlq-\(suffix)")
        let envelope = #"{"Type":"Notification","MessageId":"n1","TopicArn":"arn:aws:sns:us-east-1:123456789012:results","Message":"{\"job_id\":\"job-1\"}"}"#
        try await sqs.sendMessage(queueURL: dead, body: envelope, attributes: ["origin": "sns"])
        try await sqs.sendMessage(queueURL: dead, body: "not a request")
        try await sqs.sendMessage(queueURL: dead, body: envelope, attributes: [SQSDeadLetterQueues.redriveAttribute: "3"])
        let routes = try ReconcileLimits.deadLetterRoutes(["DEAD_LETTER_QUEUES": "\(dead)=\(source)"])
        let services = fixture.services
        let workflow = ReconcileWorkflow(
            source: DynamoDBReconcileSource(jobs: services.jobs, inventory: services.inventory), jobs: services.jobs, users: services.users,
            objects: services.objects, cold: services.cold, probe: services.inventory, deadLetters: SQSDeadLetterQueues(client: services.aws, routes: routes),
            logger: fixture.logger)
        #expect(try await workflow.run(now: Int(Date().timeIntervalSince1970)) == ["redrive": 1, "deadLetterKept": 2])
        let back = try await sqs.receiveMessages(queueURL: source, waitSeconds: 1)
        #expect(back.map(\.body) == [envelope])
        #expect(back.first?.messageAttributes == ["origin": "sns", SQSDeadLetterQueues.redriveAttribute: "1"])
        let left = try await sqs.queueAttributes(queueURL: dead)
        #expect(left["ApproximateNumberOfMessages"] == "0" && left["ApproximateNumberOfMessagesNotVisible"] == "2", "the kept two are hidden for the pass, not deleted")
        let bad = #expect(throws: HandlerConfiguration.Invalid.self) { try ReconcileLimits.deadLetterRoutes(["DEAD_LETTER_QUEUES": "https://q"]) }
        #expect(bad?.errorMessage.hasPrefix("DEAD_LETTER_QUEUES must be <dead-letter queue URL>=<source queue URL>") == true)
    }

    @Test(arguments: ["s3-glacier", "glacier-vault"])
    func theReconcilerArchivesAFreeUsersResultWhoseArchiveExecutionFailed(_ backend: String) async throws {
        let fixture = try await GASFixture(backend: backend)
        let now = Int(Date().timeIntervalSince1970)
        try await fixture.db.updateItem(
            table: fixture.environment["ANNOTATIONS_TABLE"]!, key: ["job_id": "job-1"], update: "SET complete_time = :t", attributes: .init(values: [":t": .int(now - 5000)]))
        let limits = try ReconcileLimits.read(["RETENTION_SECONDS": "300", "ARCHIVE_GRACE_SECONDS": "3600"])
        #expect(try await reconciler(fixture, limits: limits).run(now: now) == ["archive": 1])
        #expect(try await fixture.job()["results_storage"] == "ARCHIVED")
        #expect(try await reconciler(fixture, limits: limits).run(now: now).isEmpty, "idempotent")
    }

    @Test func reconcilerLimitsNameEveryBadValue() throws {
        let error = #expect(throws: HandlerConfiguration.Invalid.self) { try ReconcileLimits.read(["RUN_DEADLINE_SECONDS": "0", "ORPHAN_GRACE_SECONDS": "soon"]) }
        #expect(error?.errorMessage == "RUN_DEADLINE_SECONDS must be a positive number of seconds, got 0; ORPHAN_GRACE_SECONDS must be a positive number of seconds, got soon")
        #expect(try ReconcileLimits.read(["RUN_DEADLINE_SECONDS": "60"]).runDeadlineSeconds == 60)
    }

    @Test func stuckJobsAreAMetricOfTheirOwnNotARepair() throws {
        #expect(MetricLine.reconcilerMetrics(["abandon": 1, "thaw": 2, "stuckRunning": 3]) == ["abandon": 1, "thaw": 2, "ReconcilerRepairs": 3, "StuckRunningJobs": 3])
        #expect(MetricLine.reconcilerMetrics([:]) == ["ReconcilerRepairs": 0, "StuckRunningJobs": 0])
        #expect(try ReconcileLimits.read(["RUNNING_TOO_LONG_SECONDS": "3600"]).runningTooLongSeconds == 3600)
        let error = #expect(throws: HandlerConfiguration.Invalid.self) { try ReconcileLimits.read(["RUNNING_TOO_LONG_SECONDS": "-1"]) }
        #expect(error?.errorMessage == "RUNNING_TOO_LONG_SECONDS must be a positive number of seconds, got -1")
    }

    @Test func metricsAreOneEmbeddedMetricFormatLine() throws {
        let line = MetricLine.line(namespace: "GAS", function: "reconcile", ["thaw": 2, "ReconcilerRepairs": 2], timestamp: 1_700_000_000_000)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["thaw"] as? Int == 2 && object["Function"] as? String == "reconcile")
        let aws = try #require(object["_aws"] as? [String: Any])
        let metrics = try #require((aws["CloudWatchMetrics"] as? [[String: Any]])?.first)
        #expect(metrics["Namespace"] as? String == "GAS")
        #expect((metrics["Metrics"] as? [[String: String]])?.compactMap { $0["Name"] } == ["ReconcilerRepairs", "thaw"])
        #expect(!line.contains("\n"))
    }
}
