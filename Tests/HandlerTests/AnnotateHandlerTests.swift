@testable import AnnotateHandler
import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSNS
import AWSSQS
import AWSStepFunctions
import Foundation
import GASHandlers
import HTTPTransport
import LambdaEvents
import LambdaRuntime
import TestSupport
import Testing
import Workflows
import WorkflowsAWS

extension LifecycleHandlerTests {
    @Test func annotatesOncePublishesAndSchedulesTheArchive() async throws {
        let fixture = try await GASFixture()
        let aws = fixture.services.aws
        let samples = Vectors.packageRoot.appendingPathComponent("samples")
        for name in ["refGene.txt", "known_variants.vcf", "sample.vcf", "bad.vcf"] {
            let bytes = Array(try Data(contentsOf: samples.appendingPathComponent(name)))
            try await fixture.s3.putObject(bucket: fixture.bucket, key: "inputs/\(name)", body: .bytes(bytes))
        }
        let sns = SNSClient(client: aws)
        let sqs = SQSClient(client: aws)
        let topic = try await sns.createTopic("job-results")
        let queue = try await sqs.createQueue("job-results-notify")
        _ = try await sns.subscribe(topicARN: topic, protocol: "sqs", endpoint: try #require(try await sqs.queueAttributes(queueURL: queue)["QueueArn"]))
        let sfn = StepFunctionsClient(client: aws)
        let machine = try await sfn.createStateMachine(
            name: "archive", definition: #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#, roleARN: "arn:aws:iam::123456789012:role/sfn")
        var environment = fixture.environment
        environment["REFGENE_S3_URI"] = "s3://\(fixture.bucket)/inputs/refGene.txt"
        environment["KNOWN_VARIANTS_S3_URI"] = "s3://\(fixture.bucket)/inputs/known_variants.vcf"
        environment["JOB_RESULTS_TOPIC_ARN"] = topic
        environment["ARCHIVE_STATE_MACHINE_ARN"] = machine
        environment["RETENTION_SECONDS"] = "20"
        let lambda = AnnotateLambda(workflow: try await fixture.services.annotateWorkflow(environment: environment, logger: fixture.logger))

        let table = environment["ANNOTATIONS_TABLE"]!
        for (job, input) in [("job-2", "sample.vcf"), ("job-3", "bad.vcf")] {
            try await fixture.db.putItem(table: table, item: ["job_id": .s(job), "user_id": "u1", "job_status": "PENDING", "input_file_name": .s(input)])
        }
        func request(_ job: String, _ input: String) throws -> String {
            try GASFixture.snsEnvelope(
                #"{"job_id":"\#(job)","user_id":"u1","input_file_name":"\#(input)","s3_inputs_bucket":"\#(fixture.bucket)","s3_key_input_file":"inputs/\#(input)","submit_time":1700000000,"job_status":"PENDING"}"#)
        }
        let event = try GASFixture.sqsEvent([try request("job-2", "sample.vcf"), try request("job-3", "bad.vcf")])
        #expect(try await lambda.handle(event, context: fixture.context()).batchItemFailures.isEmpty)

        let done = try #require(try await fixture.db.getItem(table: table, key: ["job_id": "job-2"], consistentRead: true))
        #expect(done["job_status"] == "COMPLETED")
        #expect(done["s3_key_result_file"] == "inputs/sample.annot.vcf")
        #expect(done["s3_key_log_file"] == "inputs/sample.vcf.count.log")
        let annotated = String(decoding: try await fixture.s3.getObject(bucket: fixture.bucket, key: "inputs/sample.annot.vcf").body, as: UTF8.self)
        #expect(annotated.contains("GAS_REGION=CDS_exon_1/3"))
        #expect(annotated.contains("chr1\t1301\trs100"))
        let log = String(decoding: try await fixture.s3.getObject(bucket: fixture.bucket, key: "inputs/sample.vcf.count.log").body, as: UTF8.self)
        #expect(log.contains("variants\t12"))

        let failed = try #require(try await fixture.db.getItem(table: table, key: ["job_id": "job-3"], consistentRead: true))
        #expect(failed["job_status"] == "FAILED")
        #expect(failed["failure_reason"]?.string?.contains("line 4") == true)
        let failureLog = String(decoding: try await fixture.s3.getObject(bucket: fixture.bucket, key: "inputs/bad.vcf.count.log").body, as: UTF8.self)
        #expect(failureLog.contains("POS"))

        let execution = try await sfn.describeExecution(machine.replacingOccurrences(of: ":stateMachine:", with: ":execution:") + ":archive-job-2")
        #expect(execution.input?.contains(#""retention_seconds":20"#) == true)
        let announced = try await sqs.receiveMessages(queueURL: queue, waitSeconds: 1)
        #expect(announced.count == 1)
        #expect(announced.first?.body.contains("job-2") == true)

        // A redelivered request annotates nothing again and fails nothing.
        #expect(try await lambda.handle(try GASFixture.sqsEvent([try request("job-2", "sample.vcf")]), context: fixture.context()).batchItemFailures.isEmpty)
        let again = try #require(try await fixture.db.getItem(table: table, key: ["job_id": "job-2"], consistentRead: true))
        #expect(again["complete_time"] == done["complete_time"])
    }
}

extension LifecycleHandlerTests {
    @Test func resultKeysDropTheVCFSuffixCompressedOrNot() {
        for (input, result) in [("u/j~x.vcf", "u/j~x.annot.vcf"), ("u/j~x.VCF.gz", "u/j~x.annot.vcf"), ("u/j~x.vcf.bgz", "u/j~x.annot.vcf"), ("u/j~x.txt", "u/j~x.txt.annot.vcf")] {
            #expect(EngineAnnotationRunner.outputKeys(inputKey: input).result == result)
            #expect(EngineAnnotationRunner.outputKeys(inputKey: input).log == input + ".count.log")
        }
    }

    @Test func everyMissingOrBadAnnotatorVariableIsNamedAtOnceBeforeAnyDownload() async throws {
        // They were named one at a time, and only after the gene table had been downloaded (issue 10, item 14).
        let fixture = try await GASFixture()
        var environment = fixture.environment
        environment["KNOWN_VARIANTS_S3_URI"] = "https://example.org/known.vcf"
        environment["RETENTION_SECONDS"] = "soon"
        let error = await #expect(throws: HandlerConfiguration.Invalid.self) {
            _ = try await fixture.services.annotateWorkflow(environment: environment, logger: fixture.logger)
        }
        #expect(
            error?.errorMessage
                == "REFGENE_S3_URI is not set; KNOWN_VARIANTS_S3_URI: expected s3://bucket/key, got https://example.org/known.vcf; JOB_RESULTS_TOPIC_ARN is not set; ARCHIVE_STATE_MACHINE_ARN is not set; RETENTION_SECONDS must be a whole number of seconds")
        // A gene table that cannot be read names its variable and what S3 said.
        environment = fixture.environment.merging([
            "REFGENE_S3_URI": "s3://\(fixture.bucket)/no/such/refGene.txt", "JOB_RESULTS_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:t",
            "ARCHIVE_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:a",
        ]) { $1 }
        let unreadable = await #expect(throws: HandlerConfiguration.Invalid.self) {
            _ = try await fixture.services.annotateWorkflow(environment: environment, logger: fixture.logger)
        }
        #expect(unreadable?.errorMessage.hasPrefix("REFGENE_S3_URI: cannot read s3://\(fixture.bucket)/no/such/refGene.txt") == true)
    }
}

extension LifecycleHandlerTests {
    /// dbSNP's shape: known variants bgzipped with a tabix index in S3, read through ranged GETs;
    /// the input gzip-compressed, as browsers may upload it.
    @Test func annotatesWithKnownVariantsReadThroughTheirIndexInS3() async throws {
        let fixture = try await GASFixture()
        let samples = Vectors.packageRoot.appendingPathComponent("samples")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gas-s3-known-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["known_variants.vcf", "sample.vcf"] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            let bgzip = Process()
            bgzip.executableURL = URL(fileURLWithPath: "/usr/bin/bgzip")
            bgzip.arguments = ["-f", folder.appendingPathComponent(name).path]
            try bgzip.run()
            bgzip.waitUntilExit()
        }
        let tabix = Process()
        tabix.executableURL = URL(fileURLWithPath: "/usr/bin/tabix")
        tabix.arguments = ["-p", "vcf", folder.appendingPathComponent("known_variants.vcf.gz").path]
        try tabix.run()
        tabix.waitUntilExit()
        for (file, key) in [
            ("known_variants.vcf.gz", "reference/dbsnp.vcf.gz"), ("known_variants.vcf.gz.tbi", "reference/dbsnp.vcf.gz.tbi"),
            ("sample.vcf.gz", "inputs/sample.vcf.gz"),
        ] {
            try await fixture.s3.putObject(bucket: fixture.bucket, key: key, body: .bytes(Array(try Data(contentsOf: folder.appendingPathComponent(file)))))
        }
        try await fixture.s3.putObject(
            bucket: fixture.bucket, key: "reference/refGene.txt", body: .bytes(Array(try Data(contentsOf: samples.appendingPathComponent("refGene.txt")))))
        let sfn = StepFunctionsClient(client: fixture.services.aws)
        let machine = try await sfn.createStateMachine(
            name: "archive", definition: #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#, roleARN: "arn:aws:iam::123456789012:role/sfn")
        var environment = fixture.environment
        environment["REFGENE_S3_URI"] = "s3://\(fixture.bucket)/reference/refGene.txt"
        environment["KNOWN_VARIANTS_S3_URI"] = "s3://\(fixture.bucket)/reference/dbsnp.vcf.gz"
        environment["JOB_RESULTS_TOPIC_ARN"] = try await SNSClient(client: fixture.services.aws).createTopic("job-results")
        environment["ARCHIVE_STATE_MACHINE_ARN"] = machine
        let lambda = AnnotateLambda(workflow: try await fixture.services.annotateWorkflow(environment: environment, logger: fixture.logger))
        let table = environment["ANNOTATIONS_TABLE"]!
        try await fixture.db.putItem(table: table, item: ["job_id": "job-gz", "user_id": "u1", "job_status": "PENDING", "input_file_name": "sample.vcf.gz"])
        let request = try GASFixture.snsEnvelope(
            #"{"job_id":"job-gz","user_id":"u1","input_file_name":"sample.vcf.gz","s3_inputs_bucket":"\#(fixture.bucket)","s3_key_input_file":"inputs/sample.vcf.gz"}"#)
        #expect(try await lambda.handle(try GASFixture.sqsEvent([request]), context: fixture.context()).batchItemFailures.isEmpty)
        let done = try #require(try await fixture.db.getItem(table: table, key: ["job_id": "job-gz"], consistentRead: true))
        #expect(done["job_status"] == "COMPLETED")
        let annotated = String(decoding: try await fixture.s3.getObject(bucket: fixture.bucket, key: "inputs/sample.annot.vcf").body, as: UTF8.self)
        #expect(annotated.contains("chr1\t1301\trs100") && annotated.contains("chr1\t2101\trs200") && annotated.contains("chr1\t7001\trs9"))

        // A bgzipped file without its index is a configuration error that says what to do.
        environment["KNOWN_VARIANTS_S3_URI"] = "s3://\(fixture.bucket)/inputs/sample.vcf.gz"
        await #expect {
            _ = try await fixture.services.annotateWorkflow(environment: environment, logger: fixture.logger)
        } throws: { error in
            "\(error)".contains("is bgzipped but has no index beside it (inputs/sample.vcf.gz.tbi or .csi")
        }
    }
}
