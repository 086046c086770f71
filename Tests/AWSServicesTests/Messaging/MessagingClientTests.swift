import AWSCore
import AWSSES
import AWSSNS
import AWSSQS
import AWSStepFunctions
import Foundation
import TestSupport
import Testing

extension MotoSuite {
    @Suite struct MessagingClientTests {
        let moto: MotoLease
        let client: AWSClient

        init() async throws {
            moto = try await MotoServer.shared.lease()
            client = try MotoServer.shared.client()
        }

        @Test func snsFansOutToSQSAndSQSDeliversAtLeastOnce() async throws {
            let sns = SNSClient(client: client)
            let sqs = SQSClient(client: client)
            let topic = try await sns.createTopic(uniqueName("job-results"))
            let queue = try await sqs.createQueue(uniqueName("notify"), attributes: ["VisibilityTimeout": "30"])
            let queueARN = try #require(try await sqs.queueAttributes(queueURL: queue)["QueueArn"])
            _ = try await sns.subscribe(topicARN: topic, protocol: "sqs", endpoint: queueARN)

            let id = try await sns.publish(
                topicARN: topic, message: #"{"job_id":"j1"}"#, subject: "Job complete", attributes: ["kind": .string("result")])
            #expect(!id.isEmpty)
            let received = try await sqs.receiveMessages(queueURL: queue, maxMessages: 10, waitSeconds: 2)
            let message = try #require(received.first)
            let envelope = try JSONDecoder().decode([String: JSONValue].self, from: Data(message.body.utf8))
            #expect(envelope["Message"]?.stringValue == #"{"job_id":"j1"}"#)
            #expect(envelope["Subject"]?.stringValue == "Job complete")
            #expect(message.receiveCount == 1)

            // Make it visible again at once: it is delivered a second time, then deleted.
            try await sqs.changeMessageVisibility(queueURL: queue, receiptHandle: message.receiptHandle, seconds: 0)
            let again = try #require(try await sqs.receiveMessages(queueURL: queue, waitSeconds: 2).first)
            #expect(again.messageId == message.messageId)
            #expect(again.receiveCount == 2)
            try await sqs.deleteMessage(queueURL: queue, receiptHandle: again.receiptHandle)
            #expect(try await sqs.receiveMessages(queueURL: queue, waitSeconds: 1).isEmpty)

            await #expect(throws: AWSError.self) { try await sns.publish(topicARN: topic, message: "x", subject: "line\nbreak") }
            await #expect(throws: AWSError.self) { try await sqs.sendMessage(queueURL: queue, body: "bad \u{1}") }
            await #expect(throws: AWSError.self) { try await sqs.receiveMessages(queueURL: queue, maxMessages: 11) }
            let missing = await #expect(throws: AWSError.self) {
                try await sqs.sendMessage(queueURL: queue + "-missing", body: "x")
            }
            #expect(missing?.code.contains("NonExistentQueue") == true || missing?.code == "QueueDoesNotExist")
        }

        @Test func sqsSendCarriesAttributes() async throws {
            let sqs = SQSClient(client: client)
            let queue = try await sqs.createQueue(uniqueName("requests"))
            try await sqs.sendMessage(queueURL: queue, body: "hello ü", attributes: ["job_id": "j9"])
            let message = try #require(try await sqs.receiveMessages(queueURL: queue, waitSeconds: 1).first)
            #expect(message.body == "hello ü")
            #expect(message.messageAttributes["job_id"] == "j9")
        }

        @Test func sesSendsOnlyFromVerifiedSenders() async throws {
            let ses = SESClient(client: client)
            let email = SESEmail(from: "gas@example.com", to: ["user@example.com"], subject: "Results ready", text: "Job j1 finished.")
            let rejected = await #expect(throws: AWSError.self) { try await ses.sendEmail(email) }
            #expect(rejected?.code == "MessageRejected")
            try await ses.createEmailIdentity("gas@example.com")
            let id = try await ses.sendEmail(email)
            #expect(!id.isEmpty)
            let data = try JSONValue.parse(try await MotoServer.shared.get("/moto-api/data.json"))
            #expect(data.serialized().contains("Results ready"))
            await #expect(throws: AWSError.self) { try await ses.sendEmail(SESEmail(from: "gas@example.com", to: ["not an address"], subject: "s", text: "t")) }
        }

        @Test func stepFunctionsStartsNamedExecutionsOnce() async throws {
            let sfn = StepFunctionsClient(client: client)
            let definition = #"{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}"#
            let machine = try await sfn.createStateMachine(
                name: uniqueName("archive"), definition: definition, roleARN: "arn:aws:iam::123456789012:role/sfn")
            let execution = try await sfn.startExecution(stateMachineARN: machine, name: "archive-j1", input: #"{"job_id":"j1"}"#)
            let described = try await sfn.describeExecution(execution)
            #expect(described.executionArn == execution)
            #expect(described.input == #"{"job_id":"j1"}"#)
            await #expect(throws: AWSError.self) { try await sfn.startExecution(stateMachineARN: machine, name: "has space", input: "{}") }
            let missing = await #expect(throws: AWSError.self) {
                try await sfn.describeExecution(execution.replacingOccurrences(of: "archive-j1", with: "nope"))
            }
            #expect(missing?.code == "ExecutionDoesNotExist")
        }
    }
}
