import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSNS
import AWSSQS
import Foundation
import HTTPTransport
import LocalLambda
import LocalServer
import LocalStack
import Synchronization
import TestSupport
import Testing

/// All of GAS on the local stack (moto, template.yaml, the real function binaries), end to end.
@Suite(.serialized) struct EndToEndTests {
    final class Log: Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    static let root = Vectors.packageRoot.path
    static let binaries = Vectors.packageRoot.appendingPathComponent(".build/debug").path

    func stack(
        _ coldStore: String = "s3-glacier", retention: Int = 3, reconcileEvery: Int = 10, timeScale: Double? = nil
    ) async throws -> (LocalStackHost, Log) {
        let log = Log()
        let host = try await LocalStackHost(
            .init(
                root: Self.root, binaries: Self.binaries, coldStore: coldStore, retentionSeconds: retention, scheduleSeconds: reconcileEvery,
                timeScale: timeScale.map(LocalTimeScale.init(factor:))),
            log: log.add)
        return (host, log)
    }

    @Test(arguments: ["s3-glacier", "glacier-vault"])
    func theWholeLifecycleOfAFreeUsersJob(_ coldStore: String) async throws {
        let (host, log) = try await stack(coldStore)
        defer { host.stop() }
        try await LifecycleDemo(host: host, root: Self.root, stepTimeout: 60, say: log.add).run()
        #expect(log.all.contains { $0.contains("the download is the same") })
        // Every AWS call each function made is one its role in template.yaml allows (a reconciler pass included).
        _ = await host.function("ReconcileFunction")?.invoke(Array("{}".utf8))
        let calls = host.iamCalls.byCaller
        for function in host.stack.functions where !function.isWeb {
            let made = calls[function.name] ?? []
            #expect(!made.isEmpty || function.name == "ReconcileFunction", "\(function.name) made no AWS call")
            let denied = made.filter { !function.policy.allows($0) }.map(\.description).sorted()
            #expect(denied.isEmpty, "\(function.name)'s role would refuse: \(denied)")
        }
    }

    @Test func aPremiumUsersResultIsNeverArchived() async throws {
        let (host, log) = try await stack()
        defer { host.stop() }
        try await LifecycleDemo(host: host, root: Self.root, stepTimeout: 60, say: log.add).run(premium: true)
        #expect(log.all.contains { $0.contains("still in S3") })
    }

    /// Submits a job like the web front; answers its id.
    func submit(
        _ host: LocalStackHost, user: String, role: String, input: String = "sample.vcf", times: Int = 1, client: AWSClient? = nil
    ) async throws -> String {
        let references = host.stack.references
        let client = client ?? host.client
        let db = DynamoDBClient(client: client)
        let jobID = "job-\(UInt32.random(in: 1 ... .max))"
        let key = "gas/\(user)/\(jobID)~\(input)"
        try await db.putItem(table: references["UsersTable"]!, item: ["user_id": .s(user), "name": "N", "email": .s("\(user)@example.org"), "role": .s(role)])
        if input == "sample.vcf" {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.root + "/samples/sample.vcf")))
            try await S3Client(client: client).putObject(bucket: references["InputsBucket"]!, key: key, body: .bytes(bytes))
        }
        try await db.putItem(
            table: references["AnnotationsTable"]!,
            item: [
                "job_id": .s(jobID), "user_id": .s(user), "input_file_name": .s(input), "s3_inputs_bucket": .s(references["InputsBucket"]!),
                "s3_key_input_file": .s(key), "submit_time": .int(Int(Date().timeIntervalSince1970)), "job_status": "PENDING",
            ])
        let request = #"{"job_id":"\#(jobID)","user_id":"\#(user)","input_file_name":"\#(input)","s3_inputs_bucket":"\#(references["InputsBucket"]!)","s3_key_input_file":"\#(key)"}"#
        for _ in 0..<times { try await SNSClient(client: client).publish(topicARN: references["JobRequestsTopic"]!, message: request) }
        return jobID
    }

    func item(_ host: LocalStackHost, _ jobID: String, client: AWSClient? = nil) async throws -> DynamoDBItem {
        try await DynamoDBClient(client: client ?? host.client).getItem(table: host.stack.references["AnnotationsTable"]!, key: ["job_id": .s(jobID)], consistentRead: true) ?? [:]
    }

    func eventually(_ seconds: Double = 60, _ check: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// Logs `user` in to the local web front through the identity provider; answers the session cookie.
    private func logIn(_ host: LocalStackHost, user: String) async throws -> String {
        let http = CurlHTTPClient()
        func cookie(_ response: HTTPResponse) -> String? {
            response.headers.first { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("gas_session=") }
                .map { String($0.value.split(separator: ";")[0]) }
        }
        _ = try await http.send(
            HTTPRequest(
                method: "PUT", url: host.identityProviderURL + "/users/\(user)", headers: [("Content-Type", "application/json")],
                body: .bytes(Array(#"{"email":"\#(user)@example.org","name":"Fault Test"}"#.utf8))))
        let login = try await http.send(HTTPRequest(method: "GET", url: host.webURL + "/login"))
        let first = try #require(cookie(login))
        let authorized = try await http.send(
            HTTPRequest(
                method: "POST", url: try #require(login.header("Location")), headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: .bytes(Array("sub=\(user)".utf8))))
        let callback = try await http.send(HTTPRequest(method: "GET", url: try #require(authorized.header("Location")), headers: [("Cookie", first)]))
        return try #require(cookie(callback))
    }

    @Test func anUpgradeWhoseThawPublishFailsStillEndsWithTheResultRestored() async throws {
        // The reconciler would thaw the job too: held off, so this shows the front's own re-send.
        let (host, log) = try await stack(reconcileEvery: 3600)
        defer { host.stop() }
        let user = "fault-\(UInt32.random(in: 1 ... .max))"
        let jobID = try await submit(host, user: user, role: "free_user")
        #expect(try await eventually { try await item(host, jobID)["results_storage"]?.string == "ARCHIVED" }, "the free user's result is archived")

        let http = CurlHTTPClient()
        let session = try await logIn(host, user: user)
        let form = String(decoding: try await http.send(HTTPRequest(method: "GET", url: host.webURL + "/subscribe", headers: [("Cookie", session)])).body, as: UTF8.self)
        let csrf = try #require(form.firstMatch(of: #/name="csrf_token" value="([^"]+)"/#).map { String($0.1) })
        let tokenAnswer = try await http.send(
            HTTPRequest(
                method: "POST", url: host.stripeURL + "/v1/tokens", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: .bytes(Array("card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2030&card[cvc]=123&key=pk_test_gas_local".utf8))))
        let token = try #require((try JSONSerialization.jsonObject(with: Data(tokenAnswer.body)) as? [String: Any])?["id"] as? String)

        // SNS fails for the upgrades topic from now until the subscription has answered.
        let upgrades = try #require(host.stack.references["UpgradesTopic"])
        let failing = Mutex(true)
        host.endpoint.intercept { request in
            let body = String(decoding: request.body, as: UTF8.self).removingPercentEncoding ?? ""
            guard failing.withLock({ $0 }), body.contains("Action=Publish"), body.contains(upgrades) else { return nil }
            return .init(status: 500, headers: [("Content-Type", "text/xml")], text: "<ErrorResponse><Error><Code>InternalError</Code><Message>injected</Message></Error></ErrorResponse>")
        }
        let subscribed = try await http.send(
            HTTPRequest(
                method: "POST", url: host.webURL + "/subscribe",
                headers: [("Cookie", session), ("Content-Type", "application/x-www-form-urlencoded"), ("Origin", host.webURL)],
                body: .bytes(Array("csrf_token=\(csrf)&stripe_token=\(token)".utf8)), totalTimeout: 60))
        failing.withLock { $0 = false }
        #expect(subscribed.status == 200 && String(decoding: subscribed.body, as: UTF8.self).contains("Subscription Succeeded"))
        #expect(try await item(host, jobID)["results_storage"]?.string == "ARCHIVED", "no thaw went out")

        // The marker written with the role brings the thaw back through the request sweep.
        #expect(try await eventually(120) { try await item(host, jobID)["results_storage"]?.string == "RESTORED" }, "the result is restored")
        #expect(log.all.contains { $0.contains("re-sent thaw request") })
        let users = try #require(host.stack.references["UsersTable"])
        #expect(try await eventually(30) {
            try await DynamoDBClient(client: host.client).getItem(table: users, key: ["user_id": .s(user)], consistentRead: true)?["thaw_requested_at"] == nil
        }, "ThawHandler confirmed the request")
    }

    @Test func anUpgradeDuringTheRetentionPreventsTheArchive() async throws {
        let (host, _) = try await stack(retention: 4)
        defer { host.stop() }
        let jobID = try await submit(host, user: "u-early", role: "free_user")
        #expect(try await eventually { try await item(host, jobID)["job_status"] == "COMPLETED" })
        let references = host.stack.references
        try await DynamoDBClient(client: host.client).updateItem(
            table: references["UsersTable"]!, key: ["user_id": "u-early"], update: "SET #r = :p", attributes: .init(names: ["#r": "role"], values: [":p": "premium_user"]))
        try await SNSClient(client: host.client).publish(topicARN: references["UpgradesTopic"]!, message: #"{"user_id":"u-early"}"#)
        try await Task.sleep(for: .seconds(9))
        let final = try await item(host, jobID)
        #expect(final["results_storage"] == "S3")
        let object = try await S3Client(client: host.client).headObject(bucket: final["s3_results_bucket"]!.string!, key: final["s3_key_result_file"]!.string!)
        #expect(object.storageClass == "STANDARD")
    }

    @Test func aRedeliveredRequestAnnotatesOnceAndEmailsOnce() async throws {
        let (host, log) = try await stack(retention: 3600)
        defer { host.stop() }
        let jobID = try await submit(host, user: "u-twice", role: "free_user", times: 2)
        #expect(try await eventually { try await item(host, jobID)["notified"] == .bool(true) })
        try await Task.sleep(for: .seconds(2))
        let data = String(decoding: try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: host.motoURL + "/moto-api/data.json")).body, as: UTF8.self)
        #expect(data.components(separatedBy: "Results available for job \(jobID)").count - 1 == 1)
        // The functions log JSON lines, as the template's LoggingConfig says.
        #expect(log.all.filter { $0.contains(#""message":"annotated""#) && $0.contains(#""job.id":"\#(jobID)""#) }.count == 1)
    }

    @Test func aPoisonRecordIsRetriedThenDeadLetteredWithoutLosingItsBatchMates() async throws {
        // The annotate queue's 5400 s visibility timeout, compressed to 11 s: five receives in about a minute.
        let (host, log) = try await stack(retention: 3600, timeScale: 0.002)
        defer { host.stop() }
        let references = host.stack.references
        let sqs = SQSClient(client: host.client)
        // A request no annotator can read, next to a good one (and a request whose input is missing: a FAILED job, not a retry).
        try await SNSClient(client: host.client).publish(topicARN: references["JobRequestsTopic"]!, message: "not a request")
        let good = try await submit(host, user: "u-good", role: "premium_user")
        let missing = try await submit(host, user: "u-missing", role: "premium_user", input: "missing.vcf")
        #expect(try await eventually { try await item(host, good)["job_status"] == "COMPLETED" })
        #expect(try await eventually { try await item(host, missing)["job_status"] == "FAILED" })
        #expect(try await item(host, missing)["failure_reason"]?.string?.contains("does not exist") == true)
        let deadLetters = try await eventually(150) {
            try await sqs.queueAttributes(queueURL: references["AnnotateDeadLetters"]!)["ApproximateNumberOfMessages"] == "1"
        }
        #expect(deadLetters)
        let dead = try await sqs.receiveMessages(queueURL: references["AnnotateDeadLetters"]!, waitSeconds: 1)
        #expect(dead.first?.body.contains("not a request") == true)
        // Dead-lettered on its third receive (the template's maxReceiveCount), each failure logged with its count.
        #expect(log.all.contains { $0.contains(#""message":"record failed""#) && $0.contains(#""sqs.receive_count":"3""#) })
    }
}
