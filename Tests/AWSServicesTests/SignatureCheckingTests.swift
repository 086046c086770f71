import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSES
import AWSSNS
import AWSSQS
import AWSStepFunctions
import HTTPTransport
import TestSupport
import Testing

extension MotoSuite {
    /// moto with real SigV4 and IAM checking switched on: every service GAS signs for must accept
    /// our signatures, and a wrong secret must be refused.
    @Suite struct SignatureCheckingTests {
        let moto: MotoLease

        init() async throws { moto = try await MotoServer.shared.lease() }

        static let iam = AWSService(name: "iam", signingName: "iam", hostPrefix: "iam", endpointKey: "IAM")

        @Test func everyServiceAcceptsOurSignaturesAndRefusesForgedOnes() async throws {
            let bootstrap = try MotoServer.shared.client()
            let user = uniqueName("gas-signer")
            _ = try await bootstrap.query(Self.iam, action: "CreateUser", version: "2010-05-08", parameters: [("UserName", user)], idempotent: true)
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
            _ = try await bootstrap.query(
                Self.iam, action: "PutUserPolicy", version: "2010-05-08",
                parameters: [("UserName", user), ("PolicyName", "all"), ("PolicyDocument", policy)], idempotent: true)
            let key = try await bootstrap.query(Self.iam, action: "CreateAccessKey", version: "2010-05-08", parameters: [("UserName", user)], idempotent: false)
            let id = try #require(key.descendant("AccessKeyId")?.text)
            let secret = try #require(key.descendant("SecretAccessKey")?.text)

            try await MotoServer.shared.post("/moto-api/reset-auth", body: "0")
            do {
                let client = try MotoServer.shared.client(extra: ["AWS_ACCESS_KEY_ID": id, "AWS_SECRET_ACCESS_KEY": secret])
                try await exerciseEveryService(client)
                let forged = try MotoServer.shared.client(
                    retry: RetryPolicy(maxAttempts: 1), extra: ["AWS_ACCESS_KEY_ID": id, "AWS_SECRET_ACCESS_KEY": secret + "x"])
                let s3Error = await #expect(throws: AWSError.self) { try await S3Client(client: forged).createBucket(uniqueName("forged")) }
                #expect(s3Error?.code == "SignatureDoesNotMatch")
                let dbError = await #expect(throws: AWSError.self) { try await DynamoDBClient(client: forged).getItem(table: "t", key: ["k": "v"]) }
                #expect(dbError?.status == 400 || dbError?.status == 403)
                let snsError = await #expect(throws: AWSError.self) { try await SNSClient(client: forged).createTopic("forged") }
                #expect(snsError?.status == 403)
            } catch {
                try await MotoServer.shared.reset()
                throw error
            }
            try await MotoServer.shared.reset()
        }

        private func exerciseEveryService(_ client: AWSClient) async throws {
            let s3 = S3Client(client: client)
            let bucket = uniqueName("signed")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: "a b+c.txt", body: .bytes(Array("signed".utf8)))
            #expect(try await s3.getObject(bucket: bucket, key: "a b+c.txt").body == Array("signed".utf8))
            #expect(try await s3.listAllObjects(bucket: bucket, prefix: "a b").count == 1)

            let db = DynamoDBClient(client: client)
            let table = uniqueName("signed")
            try await db.createTable(table, hashKey: "id")
            try await db.putItem(table: table, item: ["id": "1"])
            #expect(try await db.getItem(table: table, key: ["id": "1"], consistentRead: true) != nil)

            let sns = SNSClient(client: client)
            let sqs = SQSClient(client: client)
            let topic = try await sns.createTopic(uniqueName("signed"))
            let queue = try await sqs.createQueue(uniqueName("signed"))
            _ = try await sns.subscribe(topicARN: topic, protocol: "sqs", endpoint: try #require(try await sqs.queueAttributes(queueURL: queue)["QueueArn"]))
            try await sns.publish(topicARN: topic, message: "hello & welcome", subject: "Signed")
            try await sqs.sendMessage(queueURL: queue, body: "direct")
            #expect(try await sqs.receiveMessages(queueURL: queue, waitSeconds: 1).count >= 1)

            let ses = SESClient(client: client)
            try await ses.createEmailIdentity("gas@example.com")
            try await ses.sendEmail(SESEmail(from: "gas@example.com", to: ["a@example.com"], subject: "s", text: "t"))

            let sfn = StepFunctionsClient(client: client)
            let machine = try await sfn.createStateMachine(
                name: uniqueName("signed"), definition: #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
                roleARN: "arn:aws:iam::123456789012:role/sfn")
            let execution = try await sfn.startExecution(stateMachineARN: machine, name: "signed-1", input: "{}")
            #expect(try await sfn.describeExecution(execution).executionArn == execution)
        }
    }
}
