import AWSDynamoDB
import AWSS3
import AWSSNS
import Foundation
import HTTPTransport
import LocalLambda
import LocalServer
import LocalStack
import Synchronization
import Testing

extension EndToEndTests {
    /// One `kill -9` of a function at the moment the named AWS call reaches the endpoint; the call
    /// itself never reaches moto (the process died before AWS acted on it).
    final class Crashes: Sendable {
        struct Point: Sendable {
            let function: String
            let matches: @Sendable (String, String, String) -> Bool
        }
        private let pending: Mutex<[Point]>
        private let done = Mutex<[String]>([])

        init(_ points: [Point]) { pending = Mutex(points) }

        var crashed: [String] { done.withLock { $0 } }

        func install(on host: LocalStackHost) {
            host.endpoint.intercept { [self] request in
                let body = String(decoding: request.body, as: UTF8.self)
                let target = request.headers["x-amz-target"] ?? ""
                let point = pending.withLock { points -> Point? in
                    guard let index = points.firstIndex(where: { $0.matches("\(request.method) \(request.path)", target, body) }) else { return nil }
                    return points.remove(at: index)
                }
                guard let point, let function = host.function(point.function) else { return nil }
                function.crash()
                done.withLock { $0.append(point.function) }
                return .init(status: 500, headers: [("Content-Type", "application/json")], text: #"{"__type":"InternalFailure","message":"the caller was killed"}"#)
            }
        }
    }

    @Test func killingEachFunctionMidInvocationEndsWithEveryJobSettledAndOneEmail() async throws {
        // Issue 10: kill -9 of each function mid-invocation (annotate mid-run, notify inside the send,
        // archive between copy and commit, restore between copy and commit) must end, after
        // redelivery and the reconciler, in a final state with one email. The scheduled reconciler
        // is held off (its restore would race the restore function's own commit) and run at the end.
        let (host, log) = try await stack(retention: 3, reconcileEvery: 3600)
        defer { host.stop() }
        let results = try #require(host.stack.references["ResultsBucket"])
        let crashes = Crashes([
            .init(function: "AnnotateFunction") { line, _, _ in line.hasPrefix("PUT /\(results)/") && line.contains(".annot.vcf") },
            .init(function: "NotifyFunction") { line, _, _ in line.hasPrefix("POST /v2/email/outbound-emails") },
            .init(function: "ArchiveFunction") { _, target, body in target.hasPrefix("DynamoDB") && body.contains(#"{"S":"ARCHIVED"}"#) },
            .init(function: "RestoreFunction") { _, target, body in target.hasPrefix("DynamoDB") && body.contains(#"{"S":"RESTORED"}"#) },
        ])
        crashes.install(on: host)
        let user = "crash-\(UInt32.random(in: 1 ... .max))"
        let jobID = try await submit(host, user: user, role: "free_user")
        #expect(try await eventually(180) { try await item(host, jobID)["results_storage"]?.string == "ARCHIVED" }, "annotated, then archived")
        #expect(try await eventually(60) { try await item(host, jobID)["notified"] == .bool(true) }, "the email went out after the crash")

        let references = host.stack.references
        try await DynamoDBClient(client: host.client).updateItem(
            table: references["UsersTable"]!, key: ["user_id": .s(user)], update: "SET #r = :p",
            attributes: .init(names: ["#r": "role"], values: [":p": "premium_user"]))
        try await SNSClient(client: host.client).publish(topicARN: references["UpgradesTopic"]!, message: #"{"user_id":"\#(user)"}"#)
        #expect(try await eventually(180) { try await item(host, jobID)["results_storage"]?.string == "RESTORED" }, "restored after the crash")
        #expect(crashes.crashed.sorted() == ["AnnotateFunction", "ArchiveFunction", "NotifyFunction", "RestoreFunction"])

        let reconcile = try #require(host.function("ReconcileFunction"))
        let pass = await reconcile.invoke(Array(#"{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}"#.utf8))
        #expect(pass.errorType == nil)
        let final = try await item(host, jobID)
        #expect(final["job_status"] == "COMPLETED" && final["results_storage"] == "RESTORED")
        let result = try await S3Client(client: host.client).getObject(bucket: final["s3_results_bucket"]!.string!, key: final["s3_key_result_file"]!.string!)
        #expect(String(decoding: result.body, as: UTF8.self).contains("##INFO=<ID=GAS_GENE"), "the result is back in S3")
        let data = String(decoding: try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: host.motoURL + "/moto-api/data.json")).body, as: UTF8.self)
        #expect(data.components(separatedBy: "Results available for job \(jobID)").count - 1 == 1, "one email")
        #expect(log.all.filter { $0.contains("Runtime.ExitError") || $0.contains("records failed") }.count >= 3)
    }
}
