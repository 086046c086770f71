import Foundation
import LocalLambda
import LocalServer
import Synchronization

/// Records the AWS calls each hosted function makes through the local endpoint, as IAM sees them
/// (action and resource ARN). Each function runs with an access key id of its own (its name), so
/// the caller is read from the request's SigV4 credential scope.
public final class IAMCalls: Sendable {
    let region: String
    let account: String
    private let calls = Mutex<[String: Set<IAMPolicy.Call>]>([:])

    public init(region: String, account: String) {
        self.region = region
        self.account = account
    }

    /// The calls made so far, by access key id.
    public var byCaller: [String: Set<IAMPolicy.Call>] { calls.withLock { $0 } }

    func record(_ request: LocalHTTPServer.Request) {
        guard let authorization = request.headers["authorization"], let scope = authorization.range(of: "Credential=") else { return }
        let fields = authorization[scope.upperBound...].prefix { $0 != "," }.split(separator: "/")
        guard fields.count >= 4 else { return }
        let found = Self.calls(request, service: String(fields[3]), region: region, account: account)
        calls.withLock { $0[String(fields[0]), default: []].formUnion(found) }
    }

    /// What IAM evaluates for `request` to `service` (the credential scope's service name).
    static func calls(_ request: LocalHTTPServer.Request, service: String, region: String, account: String) -> [IAMPolicy.Call] {
        let json = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        let target = request.headers["x-amz-target"].map { String($0.split(separator: ".").last ?? "") } ?? ""
        switch service {
        case "dynamodb":
            let table = { (name: Any?) in "arn:aws:dynamodb:\(region):\(account):table/\(name as? String ?? "")" }
            if target == "TransactWriteItems" || target == "TransactGetItems" {
                let names = ["ConditionCheck": "ConditionCheckItem", "Update": "UpdateItem", "Put": "PutItem", "Delete": "DeleteItem", "Get": "GetItem"]
                return (json["TransactItems"] as? [[String: Any]] ?? []).flatMap { item in
                    item.compactMap { kind, body in names[kind].map { .init(action: "dynamodb:" + $0, resource: table((body as? [String: Any])?["TableName"])) } }
                }
            }
            let index = (json["IndexName"] as? String).map { "/index/\($0)" } ?? ""
            return [.init(action: "dynamodb:" + target, resource: table(json["TableName"]) + index)]
        case "sqs":
            let queue = (json["QueueUrl"] as? String)?.split(separator: "/").last.map(String.init) ?? ""
            return [.init(action: "sqs:" + target, resource: "arn:aws:sqs:\(region):\(account):\(queue)")]
        case "states":
            return [.init(action: "states:" + target, resource: json["stateMachineArn"] as? String ?? json["executionArn"] as? String ?? "*")]
        case "secretsmanager":
            return [.init(action: "secretsmanager:" + target, resource: json["SecretId"] as? String ?? "")]
        case "sns":
            let form = AWSEndpoint.query(String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "+", with: " "))
            return [.init(action: "sns:" + (form["Action"] ?? ""), resource: form["TopicArn"] ?? form["TargetArn"] ?? "*")]
        case "ses":
            // SES v2 SendEmail: IAM checks the sending identity (the address, or its domain: both are ARNs).
            let from = json["FromEmailAddress"] as? String ?? ""
            let address = from.split(separator: "<").last.map { String($0.prefix { $0 != ">" }) } ?? from
            return [.init(action: "ses:SendEmail", resource: "arn:aws:ses:\(region):\(account):identity/\(address)")]
        case "s3": return s3Calls(request)
        case "glacier": return glacierCalls(request, region: region, account: account)
        default: return [.init(action: "\(service):\(target)", resource: "*")]
        }
    }

    static func s3Calls(_ request: LocalHTTPServer.Request) -> [IAMPolicy.Call] {
        let split = request.path.split(separator: "?", maxSplits: 1)
        let path = split.first.map(String.init)?.removingPercentEncoding ?? ""
        let query = split.count > 1 ? AWSEndpoint.query(String(split[1])) : [:]
        let parts = path.dropFirst().split(separator: "/", maxSplits: 1).map(String.init)
        guard let bucket = parts.first else { return [.init(action: "s3:ListAllMyBuckets", resource: "*")] }
        let bucketARN = "arn:aws:s3:::\(bucket)"
        guard parts.count == 2 else {
            let action = query["versions"] != nil ? "s3:ListBucketVersions" : "s3:ListBucket"
            return [.init(action: action, resource: bucketARN, prefix: query["prefix"] ?? "")]
        }
        let object = bucketARN + "/" + parts[1]
        let versioned = query["versionId"] != nil
        switch request.method {
        case "GET", "HEAD": return [.init(action: versioned ? "s3:GetObjectVersion" : "s3:GetObject", resource: object)]
        case "DELETE":
            if query["uploadId"] != nil { return [.init(action: "s3:AbortMultipartUpload", resource: object)] }
            return [.init(action: versioned ? "s3:DeleteObjectVersion" : "s3:DeleteObject", resource: object)]
        case "POST" where query["restore"] != nil: return [.init(action: "s3:RestoreObject", resource: object)]
        default:
            guard let source = request.headers["x-amz-copy-source"] else { return [.init(action: "s3:PutObject", resource: object)] }
            let decoded = source.removingPercentEncoding ?? source
            let name = decoded.split(separator: "?").first.map(String.init) ?? decoded
            let sourceAction = decoded.contains("versionId=") ? "s3:GetObjectVersion" : "s3:GetObject"
            return [.init(action: "s3:PutObject", resource: object), .init(action: sourceAction, resource: "arn:aws:s3:::" + name.drop { $0 == "/" })]
        }
    }

    static func glacierCalls(_ request: LocalHTTPServer.Request, region: String, account: String) -> [IAMPolicy.Call] {
        let parts = (request.path.split(separator: "?").first ?? "").split(separator: "/").map(String.init)
        // /-/vaults/NAME[/archives[/ID] | /jobs[/ID[/output]] | /multipart-uploads[/ID]]
        guard parts.count >= 3, parts[1] == "vaults" else { return [.init(action: "glacier:Unknown", resource: request.path)] }
        let vault = "arn:aws:glacier:\(region):\(account):vaults/\(parts[2])"
        let tail = Array(parts.dropFirst(3))
        let action: String
        switch (request.method, tail.first, tail.count) {
        case ("POST", "archives", 1): action = "UploadArchive"
        case ("DELETE", "archives", 2): action = "DeleteArchive"
        case ("POST", "jobs", 1): action = "InitiateJob"
        case ("GET", "jobs", 2): action = "DescribeJob"
        case ("GET", "jobs", 3): action = "GetJobOutput"
        case ("POST", "multipart-uploads", 1): action = "InitiateMultipartUpload"
        case ("PUT", "multipart-uploads", 2): action = "UploadMultipartPart"
        case ("POST", "multipart-uploads", 2): action = "CompleteMultipartUpload"
        case ("DELETE", "multipart-uploads", 2): action = "AbortMultipartUpload"
        default: action = "Unknown"
        }
        return [.init(action: "glacier:" + action, resource: vault)]
    }
}
