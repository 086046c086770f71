import AWSCore
import AWSDynamoDB
import AWSSQS
import Foundation
@testable import LocalLambda
import TestSupport
import Testing

extension FunctionHostTests {
    /// A queue with a dead-letter queue feeding the real ThawHandler: good records are deleted,
    /// a bad one is retried and dead-lettered by moto's redrive policy.
    @Test func sqsBatchesAreDeliveredRetriedAndDeadLettered() async throws {
        let moto = try await MotoServer.shared.lease()
        _ = moto
        let client = try MotoServer.shared.client()
        let sqs = SQSClient(client: client)
        let db = DynamoDBClient(client: client)
        try await db.createTable("annotations", hashKey: "job_id", indexes: [DynamoDBGlobalIndex(name: "user_id_index", hashKey: "user_id")])
        try await db.createTable("users", hashKey: "user_id")
        let dlq = try await sqs.createQueue("thaw-dlq")
        let dlqARN = try #require(try await sqs.queueAttributes(queueURL: dlq)["QueueArn"])
        let queue = try await sqs.createQueue("thaw", attributes: ["RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlqARN)","maxReceiveCount":"2"}"#])
        let queueARN = try #require(try await sqs.queueAttributes(queueURL: queue)["QueueArn"])
        try await sqs.sendMessage(queueURL: queue, body: #"{"user_id":"u1"}"#)
        try await sqs.sendMessage(queueURL: queue, body: "not json")

        let binary = Vectors.packageRoot.appendingPathComponent(".build/debug/ThawHandler").path
        let environment = MotoServer.shared.environmentVariables.merging([
            "PATH": "/usr/bin:/bin", "ANNOTATIONS_TABLE": "annotations", "USERS_TABLE": "users", "RESULTS_BUCKET": "results", "AWS_LAMBDA_LOG_LEVEL": "ERROR",
        ]) { $1 }
        let host = try FunctionHost(.init(name: "thaw", executable: binary, environment: environment), log: { _ in })
        defer { host.stop() }
        let source = SQSEventSource(.init(queueURL: queue, queueARN: queueARN, region: "us-east-1", visibilityTimeout: 0), sqs: sqs, host: host, log: { _ in })
        var delivered = 0
        for _ in 0..<6 { delivered += try await source.pollOnce() }
        #expect(delivered >= 3)
        #expect(try await sqs.receiveMessages(queueURL: queue, waitSeconds: 0).isEmpty)
        let dead = try await sqs.receiveMessages(queueURL: dlq, waitSeconds: 1)
        #expect(dead.map(\.body) == ["not json"])
    }

    @Test(arguments: [
        (#"{"batchItemFailures":[{"itemIdentifier":"b"}]}"#, nil as String?, ["b"]),
        (#"{"batchItemFailures":[]}"#, nil, []),
        ("{}", nil, []),
        ("null", nil, []),
        (#"{"batchItemFailures":[{"itemIdentifier":"zzz"}]}"#, nil, ["a", "b"]),
        (#"{"batchItemFailures":[{"itemIdentifier":""}]}"#, nil, ["a", "b"]),
        ("not json", nil, ["a", "b"]),
        (#"{"errorType":"X"}"#, "X", ["a", "b"]),
    ])
    func partialBatchResponsesFollowLambdasRules(_ body: String, _ errorType: String?, _ expected: [String]) {
        let result = FunctionHost.Result(body: Array(body.utf8), errorType: errorType)
        #expect(SQSEventSource.failedIDs(result, batch: ["a", "b"]) == Set(expected))
    }
}
