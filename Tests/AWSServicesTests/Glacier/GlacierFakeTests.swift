import AWSCore
import AWSGlacier
import AWSSigV4
import Foundation
import HTTPTransport
import Logging
import Synchronization
import LocalServer
import TestSupport
import Testing

/// What moto cannot check (multipart upload, tree-hash headers, corrupted output), against a local fake.
@Suite struct GlacierFakeTests {
    private func client(_ server: LocalHTTPServer) -> GlacierClient {
        let environment = AWSEnvironment(variables: ["AWS_ENDPOINT_URL_GLACIER": server.url, "HOME": "/nonexistent"])
        let aws = AWSClient(
            region: "us-west-2", credentials: CredentialChain([StaticCredentialProvider(AWSCredentials(accessKeyID: "AK", secretAccessKey: "SK"))]),
            environment: environment, retry: RetryPolicy(maxAttempts: 1), logger: Logger(label: "t"))
        return GlacierClient(client: aws)
    }

    @Test func multipartUploadSendsRangesAndTreeHashes() async throws {
        let server = try LocalHTTPServer { request in
            switch request.method {
            case "POST" where request.path.hasSuffix("/multipart-uploads"):
                return .init(status: 201, headers: [("x-amz-multipart-upload-id", "UP1")])
            case "PUT":
                let hash = TreeHash.hash(request.body)
                guard request.headers["x-amz-sha256-tree-hash"] == hash,
                    request.headers["x-amz-content-sha256"] == Hex.encode(SHA256.hash(request.body))
                else { return .init(status: 400, text: #"{"code":"InvalidParameterValueException","message":"bad hash","type":"Client"}"#) }
                return .init(status: 204, headers: [("x-amz-sha256-tree-hash", hash)])
            case "POST":
                return .init(status: 201, headers: [("x-amz-archive-id", "ARCHIVE1")])
            default:
                return .init(status: 404)
            }
        }
        let glacier = client(server)
        let data = Vectors.patternBytes(size: 3 * (1 << 20) + 17, seed: 3)
        let partSize = 2 << 20
        let upload = try await glacier.initiateMultipartUpload(vault: "v", partSize: partSize, description: "job-7")
        var partHashes: [[UInt8]] = []
        for offset in stride(from: 0, to: data.count, by: partSize) {
            let part = Array(data[offset..<min(data.count, offset + partSize)])
            let checksums = GlacierChecksums(of: part)
            try await glacier.uploadMultipartPart(vault: "v", uploadID: upload, offset: Int64(offset), body: .bytes(part), checksums: checksums)
            partHashes.append(Hex.decode(checksums.treeHash)!)
        }
        let whole = Hex.encode(TreeHash.combine(partHashes))
        #expect(whole == TreeHash.hash(data))
        let archive = try await glacier.completeMultipartUpload(vault: "v", uploadID: upload, archiveSize: Int64(data.count), treeHash: whole)
        #expect(archive == "ARCHIVE1")

        let requests = server.requests
        #expect(requests[0].headers["x-amz-part-size"] == String(partSize))
        #expect(requests[0].headers["x-amz-archive-description"] == "job-7")
        #expect(requests[1].headers["content-range"] == "bytes 0-2097151/*")
        #expect(requests[2].headers["content-range"] == "bytes 2097152-3145744/*")
        #expect(requests[3].headers["x-amz-archive-size"] == String(data.count))
        #expect(requests[3].headers["x-amz-sha256-tree-hash"] == whole)
        #expect(requests.allSatisfy { $0.headers["x-amz-glacier-version"] == "2012-06-01" })
    }

    @Test func jobOutputWithAWrongTreeHashIsRejected() async throws {
        let data = Vectors.patternBytes(size: 1_500_000, seed: 8)
        let corrupt = Atomic<Bool>(false)
        let server = try LocalHTTPServer { _ in
            var body = data
            if corrupt.load(ordering: .relaxed) { body[1000] ^= 0xFF }
            return .init(status: 200, headers: [("x-amz-sha256-tree-hash", TreeHash.hash(data))], body: body)
        }
        let glacier = client(server)
        let sink = HashingSink()
        let output = try await glacier.getJobOutput(vault: "v", jobID: "J1", sink: sink)
        #expect(output.treeHash == TreeHash.hash(data))
        #expect(sink.count == data.count)
        corrupt.store(true, ordering: .relaxed)
        let error = await #expect(throws: AWSError.self) { try await glacier.getJobOutput(vault: "v", jobID: "J1") }
        #expect(error?.code == "ChecksumMismatch")
    }

    @Test func insufficientCapacityIsItsOwnCode() async throws {
        let server = try LocalHTTPServer { _ in
            .init(status: 503, headers: [("x-amzn-ErrorType", "InsufficientCapacityException:")], text: #"{"code":"InsufficientCapacityException","message":"no capacity","type":"Server"}"#)
        }
        let error = await #expect(throws: AWSError.self) {
            try await client(server).initiateArchiveRetrieval(vault: "v", archiveID: "A", tier: .expedited, snsTopic: "arn:t", description: "job-1")
        }
        #expect(error?.code == "InsufficientCapacityException")
        let sent = try JSONValue.parse(try #require(server.requests.first).body)
        #expect(sent["Type"]?.stringValue == "archive-retrieval")
        #expect(sent["Tier"]?.stringValue == "Expedited")
        #expect(sent["SNSTopic"]?.stringValue == "arn:t")
        #expect(sent["Description"]?.stringValue == "job-1")
    }
}
