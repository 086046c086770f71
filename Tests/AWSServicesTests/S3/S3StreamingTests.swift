import AWSCore
import AWSS3
import HTTPTransport
import Logging
import TestSupport
import Testing

extension MotoSuite {
    @Suite struct S3StreamingTests {
        let moto: MotoLease

        init() async throws { moto = try await MotoServer.shared.lease() }

        @Test func streams256MiBUpAndDownInPieces() async throws {
            let s3 = S3Client(client: try MotoServer.shared.client())
            let bucket = uniqueName("gas-stream")
            try await s3.createBucket(bucket)
            let size = 256 << 20
            let source = PatternSource(size: size, seed: 9)
            try await s3.putObject(bucket: bucket, key: "big.bin", body: .stream(length: Int64(size), source: source))
            let sink = HashingSink()
            let object = try await s3.getObject(bucket: bucket, key: "big.bin", sink: sink)
            #expect(object.body.isEmpty)
            #expect(object.contentLength == Int64(size))
            #expect(sink.count == size)
            #expect(sink.finish() == PatternSource.sha256(size: size, seed: 9))
            // Nothing near the object's size was ever held: the transport moved it in small pieces.
            #expect(source.largestRead <= 1 << 20)
            #expect(sink.largestWrite <= 1 << 20)
            try await s3.deleteObject(bucket: bucket, key: "big.bin")
        }

        @Test func anErrorBodyNeverReachesTheSink() async throws {
            let s3 = S3Client(client: try MotoServer.shared.client())
            let bucket = uniqueName("gas-stream")
            try await s3.createBucket(bucket)
            let sink = HashingSink()
            let error = await #expect(throws: AWSError.self) { try await s3.getObject(bucket: bucket, key: "missing", sink: sink) }
            #expect(error?.code == "NoSuchKey")
            #expect(sink.count == 0)
        }

        @Test func s3AddressingOnAWSIsVirtualHosted() async throws {
            let environment = AWSEnvironment(variables: ["AWS_REGION": "eu-west-1", "HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"])
            let s3 = S3Client(client: try AWSClient.fromEnvironment(environment, logger: .init(label: "t")))
            let url = try await s3.presignedURL(bucket: "gas-results", key: "a b/c.vcf", expires: 60)
            #expect(url.hasPrefix("https://gas-results.s3.eu-west-1.amazonaws.com/a%20b/c.vcf?X-Amz-Algorithm="))
            let dotted = try await s3.presignedURL(bucket: "my.bucket", key: "k", expires: 60)
            #expect(dotted.hasPrefix("https://s3.eu-west-1.amazonaws.com/my.bucket/k?"))
        }
    }
}
