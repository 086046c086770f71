import AWSCore
import AWSSNS
import FoundationEssentials
import Workflows

/// Job events on an SNS topic, as `{"job_id": …, "user_id": …}`.
public struct SNSEventPublisher: EventPublisher {
    let sns: SNSClient
    let topicARN: String

    /// Publishes to `topicARN`.
    public init(sns: SNSClient, topicARN: String) {
        self.sns = sns
        self.topicARN = topicARN
    }

    public func jobCompleted(jobID: String, userID: String) async throws {
        struct Message: Encodable {
            var job_id: String
            var user_id: String
        }
        let message = String(decoding: try JSONEncoder().encode(Message(job_id: jobID, user_id: userID)), as: UTF8.self)
        do {
            try await sns.publish(topicARN: topicARN, message: message, attributes: ["event": .string("job_completed")])
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }
}
