import Foundation
import LambdaEvents
import TestSupport
import Testing

@Suite struct LambdaEventsTests {
    private func fixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = Vectors.packageRoot.appendingPathComponent("Tests/LambdaEventsTests/Fixtures/\(name).json")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    @Test func snsCarriesAGlacierJobNotification() throws {
        let event = try fixture("sns-glacier-job", as: SNSEvent.self)
        let message = try #require(event.records.first).sns
        #expect(message.subject == nil)
        #expect(message.messageAttributes["kind"] == SNSMessage.Attribute(type: "String", value: "restore"))
        let job = try JSONDecoder().decode(GlacierJobNotification.self, from: Data(message.message.utf8))
        #expect(job.jobID == "JOB-1")
        #expect(job.archiveID == "ARCHIVE-1")
        #expect(job.completed && job.statusCode == "Succeeded")
        #expect(job.jobDescription == "job-0001")
        #expect(job.vaultName == "gas-results")
        #expect(job.archiveSizeInBytes == 16_777_216)
    }

    @Test func sqsBatchUnwrapsSNSEnvelopesAndAnswersPartialFailures() throws {
        let event = try fixture("sqs-batch", as: SQSEvent.self)
        #expect(event.records.count == 2)
        let first = event.records[0]
        #expect(first.receiveCount == 2)
        #expect(first.messageAttributes["type"]?.stringValue == "upload")
        let envelope = try first.snsMessage()
        #expect(envelope.subject == "done")
        #expect(envelope.message == #"{"job_id":"j1"}"#)
        struct Job: Decodable { var job_id: String }
        #expect(try event.records[1].decodeBody(Job.self).job_id == "j2")
        #expect(throws: DecodingError.self) { try event.records[1].snsMessage() }

        let response = SQSBatchResponse(failedMessageIDs: [first.messageID])
        let json = String(decoding: try JSONEncoder().encode(response), as: UTF8.self)
        #expect(json == #"{"batchItemFailures":[{"itemIdentifier":"059f36b4-87a3-44ab-83d2-661975830a7d"}]}"#)
        #expect(String(decoding: try JSONEncoder().encode(SQSBatchResponse()), as: UTF8.self) == #"{"batchItemFailures":[]}"#)
    }

    @Test func s3RestoreEventKeysAreDecoded() throws {
        let event = try fixture("s3-restore-completed", as: S3Event.self)
        let record = try #require(event.records.first)
        #expect(record.eventName == "ObjectRestore:Completed")
        #expect(record.bucket.name == "gas-results")
        #expect(record.object.key == "alice/job 1/résultat + 1.annot.vcf")
        #expect(record.object.size == 1_048_576)
        #expect(record.glacierEventData?.restoreEventData?.lifecycleRestoreStorageClass == "GLACIER")
    }

    @Test func s3TestEventHasNoRecords() throws {
        let test = #"{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2025-03-14T15:09:26.000Z","Bucket":"gas-results"}"#
        #expect(try JSONDecoder().decode(S3Event.self, from: Data(test.utf8)).records.isEmpty)
    }

    @Test(arguments: [("a+b", "a b"), ("%2B", "+"), ("caf%C3%A9", "café"), ("plain/key.vcf", "plain/key.vcf")])
    func decodesFormEncodedKeys(_ raw: String, _ decoded: String) {
        #expect(S3Event.decodeKey(raw) == decoded)
    }

    @Test(arguments: ["%", "%4", "%zz", "%FF"])
    func rejectsBrokenKeys(_ raw: String) {
        #expect(S3Event.decodeKey(raw) == nil)
    }
}
