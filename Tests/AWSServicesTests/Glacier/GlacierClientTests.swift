import AWSCore
import AWSGlacier
import Foundation
import HTTPTransport
import TestSupport
import Testing

extension MotoSuite {
    @Suite struct GlacierClientTests {
        let moto: MotoLease
        let glacier: GlacierClient
        let vault = uniqueName("gas-vault")

        init() async throws {
            moto = try await MotoServer.shared.lease()
            glacier = GlacierClient(client: try MotoServer.shared.client())
            try await glacier.createVault(vault)
        }

        @Test func uploadRetrieveAndDelete() async throws {
            let data = Vectors.patternBytes(size: 300_000, seed: 5)
            let archive = try await glacier.uploadArchive(
                vault: vault, body: .bytes(data), checksums: GlacierChecksums(of: data), description: "job-1 result")
            let job = try await glacier.initiateArchiveRetrieval(
                vault: vault, archiveID: archive, tier: .expedited, snsTopic: "arn:aws:sns:us-east-1:123456789012:thaw",
                description: "job-1")
            // moto finishes Expedited jobs after about 2 s of wall-clock time.
            let deadline = Date().addingTimeInterval(30)
            var described = try await glacier.describeJob(vault: vault, jobID: job)
            #expect(described.Action == "ArchiveRetrieval")
            #expect(described.ArchiveId == archive)
            while !described.Completed && Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                described = try await glacier.describeJob(vault: vault, jobID: job)
            }
            #expect(described.StatusCode == "Succeeded")
            let output = try await glacier.getJobOutput(vault: vault, jobID: job)
            #expect(output.body == data)
            try await glacier.deleteArchive(vault: vault, archiveID: archive)
        }

        @Test func rejectsBadInputBeforeSending() async throws {
            await #expect(throws: AWSError.self) {
                try await glacier.uploadArchive(vault: vault, body: .bytes([]), checksums: GlacierChecksums(of: []))
            }
            let badPart = await #expect(throws: AWSError.self) { try await glacier.initiateMultipartUpload(vault: vault, partSize: 3 << 20) }
            #expect(badPart?.code == "InvalidParameter")
            await #expect(throws: AWSError.self) {
                try await glacier.uploadArchive(vault: vault, body: .bytes([1]), checksums: GlacierChecksums(of: [1]), description: "tab\there")
            }
        }

        @Test func unknownJobIsAnError() async throws {
            let error = await #expect(throws: AWSError.self) { try await glacier.describeJob(vault: vault, jobID: "no-such-job") }
            #expect(error?.service == "glacier")
        }
    }
}
