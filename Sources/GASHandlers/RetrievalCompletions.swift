import FoundationEssentials
import LambdaEvents
import Workflows
import WorkflowsAWS

/// Turns a retrieval-completed message into the completions it reports, keyed by job.
public enum RetrievalCompletions {
    /// Glacier job documents carry `JobId`; S3 events do not.
    struct Probe: Decodable { var JobId: String? }

    /// What a record reports; empty for events that are not completions (restore initiated, S3 test events).
    public static func parse(_ record: SQSEvent.Record) throws -> [(String, RetrievalCompletion)] {
        let payload = try record.payloadText()
        let data = Data(payload.utf8)
        let probe = try JSONDecoder().decode(Probe.self, from: data)
        if probe.JobId != nil {
            let job = try JSONDecoder().decode(GlacierJobNotification.self, from: data)
            guard job.action == "ArchiveRetrieval", let archiveID = job.archiveID else { return [] }
            guard let jobID = job.jobDescription, !jobID.isEmpty else { throw WorkflowError.unknownRetrieval(archiveID) }
            return [(jobID, RetrievalCompletion(jobID: jobID, reference: ColdReference(archiveID), retrievalID: job.jobID, succeeded: job.statusCode == "Succeeded"))]
        }
        let event = try JSONDecoder().decode(S3Event.self, from: data)
        return try event.records.filter { $0.eventName.hasSuffix("ObjectRestore:Completed") }.map { restored in
            let key = restored.object.key
            guard let jobID = S3GlacierColdStore.jobID(ofArchiveKey: key) else { throw WorkflowError.unknownRetrieval(key) }
            return (jobID, RetrievalCompletion(jobID: jobID, reference: ColdReference(key), retrievalID: nil))
        }
    }
}

extension SQSEvent.Record {
    /// The published text: the SNS envelope's `Message`, or the body itself (raw delivery, S3 → SQS).
    public func payloadText() throws -> String {
        if body.contains("\"TopicArn\""), let envelope = try? snsMessage() { return envelope.message }
        return body
    }

    /// The payload decoded as JSON.
    public func payload<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(try payloadText().utf8))
    }
}
