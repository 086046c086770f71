import AWSCore
import AWSDynamoDB
import AWSS3
import FoundationEssentials
import HTTPTransport
import Logging

/// Walks a result file through the storage lifecycle GAS uses, against whatever AWS the standard
/// `AWS_*` variables name (the README's main command points them at a local moto).
@main
struct AWSDemo {
    static func main() async {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "gas.aws-demo")
        logger.logLevel = .warning
        do {
            let client = try AWSClient.fromEnvironment(logger: logger)
            try await run(client)
            print("demo: every step checked out")
        } catch {
            print("demo failed: \(error)")
            exit(1)
        }
    }

    static func step(_ text: String) { print("  ✓ \(text)") }

    static func run(_ client: AWSClient) async throws {
        let s3 = S3Client(client: client)
        let db = DynamoDBClient(client: client)
        let suffix = String(UInt32.random(in: .min ... .max), radix: 36)
        let bucket = "gas-results-\(suffix)"
        let table = "gas-annotations-\(suffix)"
        let key = "alice/job-1/sample.annot.vcf"
        let result = Array("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\nchr1\t12345\trs1\tA\tG\n".utf8)
        print("S3 at \(try client.endpoint(for: .s3).url), region \(client.region)")

        try await s3.createBucket(bucket)
        try await s3.putObject(bucket: bucket, key: key, body: .bytes(result), options: S3PutOptions(contentType: "text/x-vcf"))
        step("uploaded s3://\(bucket)/\(key) (\(result.count) bytes)")

        try await db.createTable(table, hashKey: "job_id", indexes: [DynamoDBGlobalIndex(name: "user_id_index", hashKey: "user_id")])
        try await db.putItem(
            table: table, item: ["job_id": "job-1", "user_id": "alice", "job_status": "PENDING", "s3_key_result_file": .s(key)],
            condition: "attribute_not_exists(job_id)")
        let claim = DynamoDBExpressionAttributes(names: ["#s": "job_status"], values: [":from": "PENDING", ":to": "COMPLETED"])
        try await db.updateItem(table: table, key: ["job_id": "job-1"], update: "SET #s = :to", condition: "#s = :from", attributes: claim)
        do {
            try await db.updateItem(table: table, key: ["job_id": "job-1"], update: "SET #s = :to", condition: "#s = :from", attributes: claim)
            throw DemoFailure("a second conditional claim succeeded")
        } catch let error as AWSError where error.code == "ConditionalCheckFailedException" {
            step("job item PENDING -> COMPLETED once; a repeated claim is refused (\(error.code))")
        }
        let jobs = try await db.queryAll(table: table, index: "user_id_index", keyCondition: "user_id = :u", attributes: .init(values: [":u": "alice"]))
        step("user_id_index finds \(jobs.count) job(s) for alice")

        try await s3.copyObject(sourceBucket: bucket, sourceKey: key, bucket: bucket, key: key, options: S3PutOptions(storageClass: "GLACIER"))
        let archived = try await s3.headObject(bucket: bucket, key: key)
        step("archived in place: storage class \(archived.storageClass)")
        do {
            _ = try await s3.getObject(bucket: bucket, key: key)
            throw DemoFailure("an archived object was readable")
        } catch let error as AWSError where error.code == "InvalidObjectState" {
            step("reading the archived object is refused (\(error.code), HTTP \(error.status))")
        }

        let outcome = try await s3.restoreObject(bucket: bucket, key: key, days: 1, tier: .expedited)
        step("restore requested, Expedited tier (\(outcome))")
        var restore = try await s3.headObject(bucket: bucket, key: key).restore
        for _ in 0..<50 where restore?.ongoing != false {
            try await Task.sleep(for: .milliseconds(100))
            restore = try await s3.headObject(bucket: bucket, key: key).restore
        }
        guard restore?.ongoing == false else { throw DemoFailure("restore did not finish") }
        try await s3.copyObject(sourceBucket: bucket, sourceKey: key, bucket: bucket, key: key, options: S3PutOptions(storageClass: "STANDARD"))
        let back = try await s3.getObject(bucket: bucket, key: key)
        guard back.body == result, back.storageClass == "STANDARD" else { throw DemoFailure("restored bytes differ") }
        step("restored to STANDARD; the same \(back.body.count) bytes read back")

        let url = try await s3.presignedURL(bucket: bucket, key: key, expires: 300)
        step("presigned download URL: \(url.prefix(80))…")
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

#if canImport(Glibc)
    import Glibc
#endif
