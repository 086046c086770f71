import AWSCore
import AWSS3
import HTTPTransport
import LocalLambda
import LocalStack
import TestSupport
import Testing
import Workflows
import WorkflowsAWS

/// Without `s3:ListBucket` S3 answers 403 for a missing key; moto answers 404. The local endpoint
/// answers as S3 does, and the code reads that 403 as "missing" (issue 10, item 3).
@Suite struct S3MissingKeyDenialTests {
    @Test func aMissingKeyIsDeniedAsOnAWSAndStillReadsAsMissing() async throws {
        let endpoint = try AWSEndpoint(moto: MotoServer.shared.endpoint)
        S3MissingKeyDenial.install(on: endpoint)
        let s3 = S3Client(client: try MotoServer.shared.client(extra: ["AWS_ENDPOINT_URL": endpoint.url]))
        let bucket = "denial-\(UInt32.random(in: 1 ... .max))"
        try await s3.createBucket(bucket)
        try await s3.enableVersioning(bucket: bucket)
        try await s3.putObject(bucket: bucket, key: "u/present.vcf", body: .bytes(Array("x".utf8)))

        let head = await #expect(throws: AWSError.self) { try await s3.headObject(bucket: bucket, key: "u/missing.vcf") }
        #expect(head?.status == 403)
        let get = await #expect(throws: AWSError.self) { try await s3.getObject(bucket: bucket, key: "u/missing.vcf") }
        #expect(get?.code == "AccessDenied")
        #expect(head?.isMissingObject == true && get?.isMissingObject == true)
        // What exists, bucket calls and other 404s are as moto answers them.
        #expect(try await s3.getObject(bucket: bucket, key: "u/present.vcf").body == Array("x".utf8))
        #expect(try await s3.listObjectsV2(bucket: bucket, prefix: "u/").objects.count == 1)
        let noBucket = await #expect(throws: AWSError.self) { try await s3.getObject(bucket: bucket + "-none", key: "k") }
        #expect(noBucket?.code == "NoSuchBucket")

        // The adapters read it as missing: before, a 403 here was a permanent dependency failure.
        let store = S3ObjectStore(s3: s3)
        #expect(try await store.version(of: ObjectLocation(bucket: bucket, key: "u/missing.vcf")) == nil)
        #expect(try await store.version(of: ObjectLocation(bucket: bucket, key: "u/present.vcf")) != nil)
        try await S3GlacierColdStore(s3: s3, bucket: bucket).discard(ColdReference("archive/job-1/1"))
    }
}
