import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSNS
import Foundation
import HTTPTransport
import LocalLambda
import LocalStack
import Logging
import Testing

extension EndToEndTests {
    @Test func manyJobsThroughTheWholeLifecycleUnderInjectedFaultsLoseNothing() async throws {
        // Issue 10: throttling, 5xx, resets before and after AWS acted, truncated answers and stalls
        // past the timeouts on a fraction of the functions' calls; every job must still end where it
        // belongs, with one email each, and nothing stuck once the reconciler has run.
        let (host, log) = try await stack(retention: 3, reconcileEvery: 10)
        defer { host.stop() }
        let faults = FaultInjector(rate: 0.06, stallSeconds: 35)
        faults.install(on: host.endpoint)
        // The test's own calls go straight to moto: only the functions (and the local queue pollers) meet the faults.
        let direct = try AWSClient.fromEnvironment(
            AWSEnvironment(variables: [
                "AWS_ENDPOINT_URL": host.motoURL, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "HOME": "/nonexistent",
            ]), logger: .init(label: "faults"))
        faults.enabled = true
        let run = UInt32.random(in: 1 ... .max)
        var jobs: [(id: String, user: String, premium: Bool)] = []
        for index in 0..<4 {
            let user = "faulty-\(run)-\(index)", premium = index == 3
            for _ in 0..<2 { jobs.append((try await submit(host, user: user, role: premium ? "premium_user" : "free_user", client: direct), user, premium)) }
        }
        func storage(_ id: String) async throws -> String? { try await item(host, id, client: direct)["results_storage"]?.string }
        #expect(try await eventually(420) {
            for job in jobs { if try await storage(job.id) != (job.premium ? "S3" : "ARCHIVED") { return false } }
            return true
        }, "every free user's result archived, every premium one annotated")

        let references = host.stack.references
        for user in Set(jobs.filter { !$0.premium }.map(\.user)) {
            try await DynamoDBClient(client: direct).updateItem(
                table: references["UsersTable"]!, key: ["user_id": .s(user)], update: "SET #r = :p",
                attributes: .init(names: ["#r": "role"], values: [":p": "premium_user"]))
            try await SNSClient(client: direct).publish(topicARN: references["UpgradesTopic"]!, message: #"{"user_id":"\#(user)"}"#)
        }
        #expect(try await eventually(420) {
            for job in jobs where !job.premium { if try await storage(job.id) != "RESTORED" { return false } }
            return true
        }, "every upgraded user's result restored")
        faults.enabled = false
        #expect(try await eventually(120) {
            for job in jobs { if try await item(host, job.id, client: direct)["notified"] != .bool(true) { return false } }
            return true
        }, "every job's email went out")

        let reconciler = try #require(host.function("ReconcileFunction"))
        let pass = await reconciler.invoke(Array(#"{"source":"aws.events","detail":{}}"#.utf8))
        #expect(pass.errorType == nil)
        let emails = String(decoding: try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: host.motoURL + "/moto-api/data.json")).body, as: UTF8.self)
        for job in jobs {
            let final = try await item(host, job.id, client: direct)
            guard final["job_status"] == "COMPLETED" else {
                Issue.record("\(job.id) ends \(final["job_status"]?.string ?? "-"): \(final["failure_reason"]?.string ?? "no reason"); faults \(faults.injected)")
                continue
            }
            #expect(final["results_storage"]?.string == (job.premium ? "S3" : "RESTORED"), "\(job.id)")
            let result = try await S3Client(client: direct).getObject(bucket: final["s3_results_bucket"]!.string!, key: final["s3_key_result_file"]!.string!)
            #expect(String(decoding: result.body, as: UTF8.self).contains("##INFO=<ID=GAS_GENE"), "\(job.id)'s result is in S3")
            #expect(emails.components(separatedBy: "Results available for job \(job.id)").count - 1 == 1, "one email for \(job.id)")
        }
        let injected = faults.injected
        log.add("faults injected: \(injected)")
        #expect(injected.values.reduce(0, +) >= 10, "faults were injected: \(injected)")
        #expect(Set(injected.keys).count >= 4, "of several kinds: \(injected)")
    }
}
