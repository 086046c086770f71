import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSNS
import Foundation
import HTTPTransport

/// Drives one free user's job through the whole lifecycle on a running local stack and says what
/// it checked at each step: submit, annotation, email, archive after the retention, upgrade,
/// thaw, restore, and a download of the same bytes.
public struct LifecycleDemo {
    let host: LocalStackHost
    let root: String
    let say: @Sendable (String) -> Void
    let stepTimeout: Double

    public init(host: LocalStackHost, root: String, stepTimeout: Double = 180, say: @escaping @Sendable (String) -> Void) {
        self.host = host
        self.root = root
        self.stepTimeout = stepTimeout
        self.say = say
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    public func run(premium: Bool = false) async throws {
        let client = host.client
        let references = host.stack.references
        guard let annotations = references["AnnotationsTable"], let users = references["UsersTable"], let inputs = references["InputsBucket"],
            let requests = references["JobRequestsTopic"], let upgrades = references["UpgradesTopic"]
        else { throw Failure(description: "the stack lacks the tables, inputs bucket or topics the demo needs") }
        let db = DynamoDBClient(client: client)
        let s3 = S3Client(client: client)
        let sns = SNSClient(client: client)
        let start = Date()
        func step(_ text: String) { say(String(format: "%6.1f s  ✓ %@", Date().timeIntervalSince(start), text)) }

        let suffix = String(UInt32.random(in: .min ... .max), radix: 36)
        let userID = "user-\(suffix)"
        let jobID = "job-\(suffix)"
        let inputKey = "gas/\(userID)/\(jobID)~sample.vcf"
        try await db.putItem(
            table: users,
            item: ["user_id": .s(userID), "name": "Ada Lovelace", "email": .s("ada-\(suffix)@example.org"), "institution": "GAS", "role": .s(premium ? "premium_user" : "free_user")])
        let sample = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/samples/sample.vcf")))
        try await s3.putObject(bucket: inputs, key: inputKey, body: .bytes(sample))
        let submitTime = Int(Date().timeIntervalSince1970)
        try await db.putItem(
            table: annotations,
            item: [
                "job_id": .s(jobID), "user_id": .s(userID), "input_file_name": "sample.vcf", "s3_inputs_bucket": .s(inputs),
                "s3_key_input_file": .s(inputKey), "submit_time": .int(submitTime), "job_status": "PENDING",
            ],
            condition: "attribute_not_exists(job_id)")
        let request = #"{"job_id":"\#(jobID)","user_id":"\#(userID)","input_file_name":"sample.vcf","s3_inputs_bucket":"\#(inputs)","s3_key_input_file":"\#(inputKey)","submit_time":\#(submitTime),"job_status":"PENDING"}"#
        try await sns.publish(topicARN: requests, message: request)
        step("\(premium ? "premium" : "free") user \(userID) submitted \(jobID) (sample.vcf, \(sample.count) bytes)")

        let completed = try await waitFor(jobID, "the job to complete") { item in item["job_status"]?.string == "COMPLETED" ? item : nil }
        guard let resultsBucket = completed["s3_results_bucket"]?.string, let resultKey = completed["s3_key_result_file"]?.string else {
            throw Failure(description: "the completed item names no result")
        }
        let annotated = try await s3.getObject(bucket: resultsBucket, key: resultKey).body
        guard String(decoding: annotated, as: UTF8.self).contains("GAS_REGION=") else { throw Failure(description: "the result is not annotated") }
        step("annotated: s3://\(resultsBucket)/\(resultKey) (\(annotated.count) bytes) and its count log")

        try await waitUntil("the completion email") {
            let data = try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: host.motoURL + "/moto-api/data.json")).body
            return String(decoding: data, as: UTF8.self).contains("Results available for job \(jobID)")
        }
        step("one email: \"Results available for job \(jobID)\"")

        if premium {
            try await Task.sleep(for: .seconds(Double(host.retentionSeconds) + 5))
            let item = try await item(jobID)
            guard item["results_storage"]?.string != "ARCHIVED", try await s3.getObject(bucket: resultsBucket, key: resultKey).body == annotated else {
                throw Failure(description: "a premium user's result was archived")
            }
            step("after the retention the premium result is still in S3")
            return
        }

        let archived = try await waitFor(jobID, "the archive after the retention") { item in item["results_storage"]?.string == "ARCHIVED" ? item : nil }
        do {
            _ = try await s3.getObject(bucket: resultsBucket, key: resultKey)
            throw Failure(description: "the archived result is still readable in S3")
        } catch let error as AWSError where error.isMissingObject {
            step("archived to \(host.coldStore) (\(archived["results_file_archive_id"]?.string?.prefix(40) ?? "")…); S3 answers \(error.code) (no such key)")
        }

        try await db.updateItem(table: users, key: ["user_id": .s(userID)], update: "SET #r = :p", attributes: .init(names: ["#r": "role"], values: [":p": "premium_user"]))
        try await sns.publish(topicARN: upgrades, message: #"{"user_id":"\#(userID)"}"#)
        step("upgraded to premium")
        let thawing = try await waitFor(jobID, "the thaw") { item in
            ["RESTORING", "RESTORED"].contains(item["results_storage"]?.string ?? "") ? item : nil
        }
        step("thaw started (\(thawing["retrieval_tier"]?.string ?? "done")) ")
        _ = try await waitFor(jobID, "the restore") { item in item["results_storage"]?.string == "RESTORED" && item["results_file_archive_id"] == nil ? item : nil }
        let restored = try await s3.getObject(bucket: resultsBucket, key: resultKey)
        guard restored.body == annotated, restored.storageClass == "STANDARD" else { throw Failure(description: "the restored bytes differ") }
        step("restored to S3 STANDARD; the download is the same \(restored.body.count) bytes")
    }

    private func item(_ jobID: String) async throws -> DynamoDBItem {
        try await DynamoDBClient(client: host.client).getItem(table: host.stack.references["AnnotationsTable"]!, key: ["job_id": .s(jobID)], consistentRead: true) ?? [:]
    }

    private func waitFor(_ jobID: String, _ what: String, _ check: (DynamoDBItem) -> DynamoDBItem?) async throws -> DynamoDBItem {
        let deadline = Date().addingTimeInterval(stepTimeout)
        while Date() < deadline {
            if let found = check(try await item(jobID)) { return found }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Failure(description: "timed out waiting for \(what)")
    }

    private func waitUntil(_ what: String, _ check: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(stepTimeout)
        while Date() < deadline {
            if try await check() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Failure(description: "timed out waiting for \(what)")
    }
}
