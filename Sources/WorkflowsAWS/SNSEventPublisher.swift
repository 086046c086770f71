import AWSCore
import AWSSNS
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
        do {
            try await sns.publish(
                topicARN: topicARN, message: #"{"job_id":\#(JSONString.quote(jobID)),"user_id":\#(JSONString.quote(userID))}"#,
                attributes: ["event": .string("job_completed")])
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }
}

/// JSON string literals for small hand-built messages.
enum JSONString {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
