import LocalLambda
import LocalServer
@testable import LocalStack
import Testing

/// The matcher behind the end-to-end permission check, and the reading of requests as IAM calls.
@Suite struct IAMPolicyTests {
    let policy = IAMPolicy(statements: [
        .init(actions: ["s3:GetObject", "s3:PutObject"], resources: ["arn:aws:s3:::results/*"]),
        .init(actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::results"], prefixes: ["archive/*"]),
        .init(actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:us-east-1:1:table/jobs"]),
    ])

    @Test func allowsOnlyWhatAStatementNames() {
        #expect(policy.allows(.init(action: "s3:GetObject", resource: "arn:aws:s3:::results/gas/u/j~a.vcf")))
        #expect(policy.allows(.init(action: "S3:getobject", resource: "arn:aws:s3:::results/x")), "actions are case-insensitive")
        #expect(!policy.allows(.init(action: "s3:DeleteObject", resource: "arn:aws:s3:::results/x")))
        #expect(!policy.allows(.init(action: "s3:GetObject", resource: "arn:aws:s3:::inputs/x")))
        #expect(!policy.allows(.init(action: "dynamodb:GetItem", resource: "arn:aws:dynamodb:us-east-1:1:table/jobs/index/by_user")))
        #expect(policy.allows(.init(action: "s3:ListBucket", resource: "arn:aws:s3:::results", prefix: "archive/j1")))
        #expect(!policy.allows(.init(action: "s3:ListBucket", resource: "arn:aws:s3:::results", prefix: "gas/")), "the prefix condition holds")
        #expect(policy.unused(by: [.init(action: "s3:GetObject", resource: "arn:aws:s3:::results/x")]) == ["s3:PutObject", "s3:ListBucket", "dynamodb:GetItem"])
    }

    @Test func requestsReadAsTheCallsIAMEvaluates() {
        func request(_ method: String, _ path: String, _ headers: [String: String] = [:], _ body: String = "") -> LocalHTTPServer.Request {
            .init(method: method, path: path, headers: headers, body: Array(body.utf8))
        }
        #expect(IAMCalls.s3Calls(request("GET", "/results/a/b.vcf?versionId=3")) == [.init(action: "s3:GetObjectVersion", resource: "arn:aws:s3:::results/a/b.vcf")])
        #expect(
            IAMCalls.s3Calls(request("PUT", "/results/archive/j", ["x-amz-copy-source": "/results/gas/j%7Ea.vcf?versionId=7"])) == [
                .init(action: "s3:PutObject", resource: "arn:aws:s3:::results/archive/j"),
                .init(action: "s3:GetObjectVersion", resource: "arn:aws:s3:::results/gas/j~a.vcf"),
            ])
        #expect(IAMCalls.s3Calls(request("GET", "/results?list-type=2&prefix=archive%2F")) == [.init(action: "s3:ListBucket", resource: "arn:aws:s3:::results", prefix: "archive/")])
        let transaction = #"{"TransactItems":[{"ConditionCheck":{"TableName":"users"}},{"Update":{"TableName":"jobs"}}]}"#
        let calls = IAMCalls.calls(
            request("POST", "/", ["x-amz-target": "DynamoDB_20120810.TransactWriteItems"], transaction), service: "dynamodb", region: "r", account: "1")
        #expect(Set(calls) == [.init(action: "dynamodb:ConditionCheckItem", resource: "arn:aws:dynamodb:r:1:table/users"), .init(action: "dynamodb:UpdateItem", resource: "arn:aws:dynamodb:r:1:table/jobs")])
        #expect(
            IAMCalls.glacierCalls(request("GET", "/-/vaults/v/jobs/abc/output"), region: "r", account: "1") == [.init(action: "glacier:GetJobOutput", resource: "arn:aws:glacier:r:1:vaults/v")])
    }
}
