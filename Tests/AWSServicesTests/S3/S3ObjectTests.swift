import AWSCore
import AWSS3
import HTTPTransport
import TestSupport
import Testing

extension MotoSuite {
    @Suite struct S3ObjectTests {
        let moto: MotoLease
        let s3: S3Client
        let bucket = uniqueName("gas-s3")

        init() async throws {
            moto = try await MotoServer.shared.lease()
            s3 = S3Client(client: try MotoServer.shared.client())
            try await s3.createBucket(bucket)
        }

        @Test func putGetHeadDeleteRoundTrip() async throws {
            let key = "results/user 1/job+1/ümlaut~file.vcf"
            let body = Array("##fileformat=VCFv4.2\n".utf8)
            let options = S3PutOptions(contentType: "text/plain", metadata: ["job-id": "j1"])
            let eTag = try await s3.putObject(bucket: bucket, key: key, body: .bytes(body), options: options)
            #expect(eTag != nil)

            let object = try await s3.getObject(bucket: bucket, key: key)
            #expect(object.body == body)
            #expect(object.contentType == "text/plain")
            #expect(object.metadata["job-id"] == "j1")
            #expect(object.storageClass == "STANDARD")

            let ranged = try await s3.getObject(bucket: bucket, key: key, range: "bytes=2-5")
            #expect(ranged.body == Array(body[2...5]))
            #expect(ranged.contentRange == "bytes 2-5/\(body.count)")

            let head = try await s3.headObject(bucket: bucket, key: key)
            #expect(head.contentLength == Int64(body.count))
            #expect(head.body.isEmpty)

            try await s3.deleteObject(bucket: bucket, key: key)
            let missing = await #expect(throws: AWSError.self) { try await s3.getObject(bucket: bucket, key: key) }
            #expect(missing?.code == "NoSuchKey")
            #expect(missing?.status == 404)
            #expect(missing?.requestID != nil)
            let missingHead = await #expect(throws: AWSError.self) { try await s3.headObject(bucket: bucket, key: key) }
            #expect(missingHead?.code == "NoSuchKey")
        }

        @Test func archivedObjectIsUnreadableUntilRestored() async throws {
            let key = "archive/result.vcf"
            try await s3.putObject(bucket: bucket, key: key, body: .bytes(Array("data".utf8)))
            // In-place copy to the GLACIER class, as ArchiveHandler does.
            try await s3.copyObject(
                sourceBucket: bucket, sourceKey: key, bucket: bucket, key: key, options: S3PutOptions(storageClass: "GLACIER"))
            let head = try await s3.headObject(bucket: bucket, key: key)
            #expect(head.storageClass == "GLACIER")
            #expect(head.restore == nil)

            let refused = await #expect(throws: AWSError.self) { try await s3.getObject(bucket: bucket, key: key) }
            #expect(refused?.code == "InvalidObjectState")
            #expect(refused?.status == 403)

            #expect(try await s3.restoreObject(bucket: bucket, key: key, days: 1, tier: .expedited) == .started)
            let restored = try await s3.headObject(bucket: bucket, key: key)
            #expect(restored.restore?.ongoing == false)
            #expect(restored.restore?.expiry != nil)
            #expect(try await s3.getObject(bucket: bucket, key: key).body == Array("data".utf8))
        }

        @Test func multipartUploadAndCopy() async throws {
            let key = "big/object.bin"
            let part1 = Vectors.patternBytes(size: 5 * 1024 * 1024, seed: 1)
            let part2 = Vectors.patternBytes(size: 1000, seed: 2)
            let upload = try await s3.createMultipartUpload(bucket: bucket, key: key)
            let p1 = try await s3.uploadPart(bucket: bucket, key: key, uploadID: upload, partNumber: 1, body: .bytes(part1))
            let p2 = try await s3.uploadPart(bucket: bucket, key: key, uploadID: upload, partNumber: 2, body: .bytes(part2))
            try await s3.completeMultipartUpload(bucket: bucket, key: key, uploadID: upload, parts: [p1, p2])
            #expect(try await s3.getObject(bucket: bucket, key: key).body == part1 + part2)

            let copyKey = "big/copy.bin"
            let copy = try await s3.createMultipartUpload(bucket: bucket, key: copyKey, options: S3PutOptions(storageClass: "GLACIER"))
            let c1 = try await s3.uploadPartCopy(
                sourceBucket: bucket, sourceKey: key, range: "bytes=0-5242879", bucket: bucket, key: copyKey, uploadID: copy, partNumber: 1)
            let c2 = try await s3.uploadPartCopy(
                sourceBucket: bucket, sourceKey: key, range: "bytes=5242880-5243879", bucket: bucket, key: copyKey, uploadID: copy,
                partNumber: 2)
            try await s3.completeMultipartUpload(bucket: bucket, key: copyKey, uploadID: copy, parts: [c1, c2])
            let head = try await s3.headObject(bucket: bucket, key: copyKey)
            #expect(head.contentLength == Int64(part1.count + part2.count))
            #expect(head.storageClass == "GLACIER")

            let small = try await s3.createMultipartUpload(bucket: bucket, key: "small")
            let s1 = try await s3.uploadPart(bucket: bucket, key: "small", uploadID: small, partNumber: 1, body: .bytes([1, 2, 3]))
            let s2 = try await s3.uploadPart(bucket: bucket, key: "small", uploadID: small, partNumber: 2, body: .bytes([4]))
            let tooSmall = await #expect(throws: AWSError.self) {
                try await s3.completeMultipartUpload(bucket: bucket, key: "small", uploadID: small, parts: [s1, s2])
            }
            #expect(tooSmall?.code == "EntityTooSmall")
            try await s3.abortMultipartUpload(bucket: bucket, key: "small", uploadID: small)
            await #expect(throws: AWSError.self) {
                try await s3.uploadPart(bucket: bucket, key: "small", uploadID: small, partNumber: 10_001, body: .bytes([1]))
            }
        }

        @Test func listsWithPagination() async throws {
            for index in 0..<7 {
                try await s3.putObject(bucket: bucket, key: "user/a b/\(index).vcf", body: .bytes([UInt8(index)]))
            }
            try await s3.putObject(bucket: bucket, key: "other/x", body: .bytes([9]))
            let first = try await s3.listObjectsV2(bucket: bucket, prefix: "user/a b/", maxKeys: 3)
            #expect(first.objects.count == 3)
            #expect(first.nextContinuationToken != nil)
            let all = try await s3.listAllObjects(bucket: bucket, prefix: "user/a b/")
            #expect(all.map(\.key) == (0..<7).map { "user/a b/\($0).vcf" })
            #expect(all.allSatisfy { $0.size == 1 })
            let grouped = try await s3.listObjectsV2(bucket: bucket, delimiter: "/")
            #expect(Set(grouped.commonPrefixes) == ["user/", "other/"])
        }

        @Test func notificationConfigurationRoundTrips() async throws {
            let target = S3NotificationTarget(
                kind: .queue, arn: "arn:aws:sqs:us-east-1:123456789012:restores", events: ["s3:ObjectRestore:Completed"],
                prefix: "results/", id: "restore-completed")
            try await s3.putBucketNotificationConfiguration(bucket: bucket, targets: [target])
            #expect(try await s3.getBucketNotificationConfiguration(bucket: bucket) == [target])
        }

        @Test func presignedURLDownloadsWithoutCredentials() async throws {
            try await s3.putObject(bucket: bucket, key: "dl/file name.txt", body: .bytes(Array("hi".utf8)))
            let url = try await s3.presignedURL(bucket: bucket, key: "dl/file name.txt", expires: 60)
            let response = try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: url))
            #expect(response.status == 200)
            #expect(response.body == Array("hi".utf8))
            await #expect(throws: AWSError.self) { try await s3.presignedURL(bucket: bucket, key: "k", expires: 0) }
        }

        @Test func presignedURLCarriesEveryResponseOverride() async throws {
            try await s3.putObject(bucket: bucket, key: "dl/result.vcf", body: .bytes(Array("##fileformat=VCFv4.2\n".utf8)))
            let overrides = S3ResponseOverrides(
                contentType: "text/x-vcf", contentLanguage: "en", expires: "Thu, 01 Dec 2094 16:00:00 GMT", cacheControl: "private, no-store",
                contentDisposition: "attachment; filename=\"scan 001.vcf\"; filename*=UTF-8''scan%20001.vcf", contentEncoding: "identity")
            let url = try await s3.presignedURL(bucket: bucket, key: "dl/result.vcf", expires: 60, response: overrides)
            let response = try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: url))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/x-vcf")
            #expect(response.header("Content-Language") == "en")
            #expect(response.header("Expires") == "Thu, 01 Dec 2094 16:00:00 GMT")
            #expect(response.header("Cache-Control") == "private, no-store")
            #expect(response.header("Content-Disposition") == overrides.contentDisposition)
            #expect(response.header("Content-Encoding") == "identity")
        }
    }
}
