import AWSCore
import AWSDynamoDB
import AWSGlacier
import AWSS3
import AWSSES
import Foundation
import GASHandlers
import HTTPTransport
import LambdaEvents
import LambdaRuntime
import Logging
import TestSupport

/// A GAS deployment in moto: tables, versioned results bucket, one user with one completed job.
struct GASFixture {
    static let resultBytes = Array("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\nchr1\t12345\trs1\tA\tG\n".utf8)

    let services: GASServices
    let s3: S3Client
    let db: DynamoDBClient
    let environment: [String: String]
    let bucket: String
    let resultKey: String
    let logger: Logger
    let moto: MotoLease

    init(backend: String = "s3-glacier", role: String = "free_user") async throws {
        moto = try await MotoServer.shared.lease()
        let suffix = String(UInt32.random(in: .min ... .max), radix: 36)
        bucket = "gas-results-\(suffix)"
        resultKey = "ucid/u1/job-1~sample 1.annot.vcf"
        environment = MotoServer.shared.environmentVariables.merging([
            "ANNOTATIONS_TABLE": "annotations-\(suffix)", "USERS_TABLE": "users-\(suffix)", "RESULTS_BUCKET": bucket, "COLD_STORE": backend,
            "GLACIER_VAULT": "vault-\(suffix)", "RETRIEVAL_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:retrievals",
            "MAIL_SENDER": "gas@example.org", "JOB_PAGE_BASE_URL": "https://gas.example.org/annotations",
        ]) { $1 }
        var logger = Logger(label: "handler-tests")
        logger.logLevel = .critical
        self.logger = logger
        services = try GASServices(environment: environment, required: [], logger: logger)
        s3 = S3Client(client: services.aws)
        db = DynamoDBClient(client: services.aws)
        try await db.createTable(environment["ANNOTATIONS_TABLE"]!, hashKey: "job_id", indexes: [DynamoDBGlobalIndex(name: "user_id_index", hashKey: "user_id")])
        try await db.createTable(environment["USERS_TABLE"]!, hashKey: "user_id")
        try await s3.createBucket(bucket)
        try await s3.enableVersioning(bucket: bucket)
        if backend == "glacier-vault" { try await GlacierClient(client: services.aws).createVault(environment["GLACIER_VAULT"]!) }
        try await db.putItem(table: environment["USERS_TABLE"]!, item: ["user_id": "u1", "name": "Ada", "email": "ada@example.org", "role": .s(role)])
        try await s3.putObject(bucket: bucket, key: resultKey, body: .bytes(Self.resultBytes))
        try await db.putItem(
            table: environment["ANNOTATIONS_TABLE"]!,
            item: [
                "job_id": "job-1", "user_id": "u1", "job_status": "COMPLETED", "input_file_name": "sample 1.vcf", "s3_results_bucket": .s(bucket),
                "s3_key_result_file": .s(resultKey), "s3_key_log_file": "ucid/u1/job-1~sample 1.vcf.count.log", "complete_time": 1_700_000_000,
            ])
    }

    func context() -> LambdaContext {
        LambdaContext(requestID: "test-\(UInt32.random(in: 1 ... .max))", deadlineMilliseconds: LambdaContext.nowMilliseconds() + 60_000, logger: logger)
    }

    func job() async throws -> DynamoDBItem {
        try await db.getItem(table: environment["ANNOTATIONS_TABLE"]!, key: ["job_id": "job-1"], consistentRead: true) ?? [:]
    }

    func setRole(_ role: String) async throws {
        try await db.updateItem(
            table: environment["USERS_TABLE"]!, key: ["user_id": "u1"], update: "SET #r = :r", attributes: .init(names: ["#r": "role"], values: [":r": .s(role)]))
    }

    /// An SQS event with one record per body.
    static func sqsEvent(_ bodies: [String]) throws -> SQSEvent {
        let records = bodies.enumerated().map { index, body in
            ["messageId": "m\(index)", "receiptHandle": "h\(index)", "body": body, "attributes": ["ApproximateReceiveCount": "1"]] as [String: Any]
        }
        return try JSONDecoder().decode(SQSEvent.self, from: JSONSerialization.data(withJSONObject: ["Records": records]))
    }

    /// The SNS envelope a topic writes into an SQS body.
    static func snsEnvelope(_ message: String) throws -> String {
        let envelope: [String: Any] = [
            "Type": "Notification", "MessageId": UUID().uuidString, "TopicArn": "arn:aws:sns:us-east-1:123456789012:topic", "Message": message,
            "Timestamp": "2025-03-14T15:09:26.901Z", "SignatureVersion": "1", "Signature": "x",
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: envelope), as: UTF8.self)
    }
}
