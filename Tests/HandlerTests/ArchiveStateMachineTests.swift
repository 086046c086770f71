import AWSCore
import AWSDynamoDB
import AWSS3
import AWSStepFunctions
import Foundation
import HTTPTransport
import LocalLambda
import LocalServer
import Logging
import Synchronization
import TestSupport
import Testing

/// statemachines/archive.asl.json executed by moto's Step Functions interpreter, whose Lambda
/// invocations reach the real ArchiveHandler binary on the local Lambda host.
@Suite(.serialized) struct ArchiveStateMachineTests {
    let endpoint: AWSEndpoint
    let moto: MotoServer
    let aws: AWSClient
    let bucket = "gas-results"
    let functionARN = "arn:aws:lambda:us-east-1:123456789012:function:archive"

    init() async throws {
        endpoint = try AWSEndpoint()
        moto = try MotoServer.start(environment: ["MOTO_PORT": String(endpoint.port)])
        endpoint.forward(to: moto.endpoint)
        try await moto.post("/moto-api/config", body: #"{"stepfunctions":{"execute_state_machine":true}}"#)
        var logger = Logger(label: "sfn-tests")
        logger.logLevel = .critical
        let environment = AWSEnvironment(variables: moto.environmentVariables)
        aws = try AWSClient.fromEnvironment(environment, logger: logger)
    }

    private var handlerEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { $0.key == "PATH" || $0.key == "HOME" }
            .merging(moto.environmentVariables) { $1 }
            .merging([
                "AWS_ENDPOINT_URL": endpoint.url, "AWS_MAX_ATTEMPTS": "1", "ANNOTATIONS_TABLE": "annotations", "USERS_TABLE": "users",
                "RESULTS_BUCKET": bucket, "AWS_LAMBDA_LOG_LEVEL": "ERROR",
            ]) { $1 }
    }

    private func setUp(jobs: [String]) async throws -> String {
        let db = DynamoDBClient(client: aws)
        let s3 = S3Client(client: aws)
        try await db.createTable("annotations", hashKey: "job_id", indexes: [DynamoDBGlobalIndex(name: "user_id_index", hashKey: "user_id")])
        try await db.createTable("users", hashKey: "user_id")
        try await s3.createBucket(bucket)
        try await s3.enableVersioning(bucket: bucket)
        try await db.putItem(table: "users", item: ["user_id": "u1", "name": "Ada", "email": "a@example.org", "role": "free_user"])
        for job in jobs {
            try await s3.putObject(bucket: bucket, key: "u1/\(job)~r.annot.vcf", body: .bytes(Array("result \(job)".utf8)))
            try await db.putItem(
                table: "annotations",
                item: [
                    "job_id": .s(job), "user_id": "u1", "job_status": "COMPLETED", "s3_results_bucket": .s(bucket),
                    "s3_key_result_file": .s("u1/\(job)~r.annot.vcf"), "complete_time": 1_700_000_000,
                ])
        }
        let definition = try String(contentsOf: Vectors.packageRoot.appendingPathComponent("statemachines/archive.asl.json"), encoding: .utf8)
            .replacingOccurrences(of: "${ArchiveFunctionArn}", with: functionARN)
        return try await StepFunctionsClient(client: aws).createStateMachine(
            name: "archive", definition: definition, roleARN: "arn:aws:iam::123456789012:role/archive")
    }

    private func register(failFirst: Bool) throws -> FunctionHost {
        let binary = Vectors.packageRoot.appendingPathComponent(".build/debug/ArchiveHandler").path
        let host = try FunctionHost(.init(name: "archive", executable: binary, environment: handlerEnvironment), log: { _ in })
        endpoint.host(host)
        if failFirst {
            // DynamoDB answers the first call with a 503: GAS.Retryable.Dependency, which the Retry covers.
            let failed = Atomic<Bool>(false)
            endpoint.intercept { request in
                guard request.headers["x-amz-target"]?.hasPrefix("DynamoDB") == true, !failed.exchange(true, ordering: .relaxed) else { return nil }
                return .init(status: 503, headers: [("Content-Type", "application/x-amz-json-1.0")], text: #"{"__type":"ServiceUnavailable","message":"injected"}"#)
            }
        }
        return host
    }

    private func run(_ machine: String, job: String) async throws -> StepFunctionsExecution {
        let sfn = StepFunctionsClient(client: aws)
        let input = #"{"job_id":"\#(job)","complete_time":1700000000,"retention_seconds":1,"archive_at":"2023-11-14T22:13:21Z"}"#
        let arn = try await sfn.startExecution(stateMachineARN: machine, name: "archive-\(job)", input: input)
        let deadline = Date().addingTimeInterval(90)
        var execution = try await sfn.describeExecution(arn)
        while execution.status == "RUNNING" && Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            execution = try await sfn.describeExecution(arn)
        }
        return execution
    }

    @Test func archivesThroughTheStateMachine() async throws {
        let machine = try await setUp(jobs: ["job-1"])
        let host = try register(failFirst: false)
        defer { host.stop() }
        let execution = try await run(machine, job: "job-1")
        #expect(execution.status == "SUCCEEDED")
        let output = try JSONSerialization.jsonObject(with: Data((execution.output ?? "{}").utf8)) as? [String: Any]
        #expect(output?["outcome"] as? String == "archived", "\(execution.output ?? "no output")")
        #expect(output?["job_id"] as? String == "job-1")
        #expect(endpoint.invocations(of: "archive") == 1)
        let item = try await DynamoDBClient(client: aws).getItem(table: "annotations", key: ["job_id": "job-1"], consistentRead: true)
        #expect(item?["results_storage"] == "ARCHIVED")
    }

    @Test func retriesATransientFailure() async throws {
        let machine = try await setUp(jobs: ["job-2"])
        let host = try register(failFirst: true)
        defer { host.stop() }
        let execution = try await run(machine, job: "job-2")
        #expect(execution.status == "SUCCEEDED")
        #expect(endpoint.invocations(of: "archive") == 2)
    }

    @Test func catchesAPermanentFailure() async throws {
        let machine = try await setUp(jobs: [])
        let host = try register(failFirst: false)
        defer { host.stop() }
        let execution = try await run(machine, job: "job-404")
        #expect(execution.status == "FAILED")
        // The execution fails with the handler's own errorType and message, not a generic name (issue 11).
        #expect(execution.error == "GAS.Permanent.JobNotFound")
        #expect(execution.cause?.contains("no job job-404") == true, "\(execution.cause ?? "no cause")")
        #expect(endpoint.invocations(of: "archive") == 1)
    }
}
