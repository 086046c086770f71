import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSNS
import AWSSQS
import AWSStepFunctions
import Foundation
import Yams

/// What the local host needs to run after deployment: each function with its resolved
/// environment and SQS triggers, and every resource's Ref value.
public struct StackDescription: Sendable {
    /// A function of the template.
    public struct Function: Sendable {
        /// The logical id (also its local name).
        public var name: String
        /// The Swift product its `CodeUri` zip is built from.
        public var product: String
        public var environment: [String: String]
        public var timeout: Double
        /// SQS triggers: queue URL, queue ARN, batch size, and the queue's visibility timeout in
        /// seconds (how long SQS holds a record back after a failed or lost invocation).
        public var queues: [(url: String, arn: String, batchSize: Int, visibilityTimeout: Int)]
        /// The web front (HTTP API and schedule events): gas-local runs it as gas-web.
        public var isWeb = false
        /// A `Schedule` event's period in seconds (`rate(…)`), for a function other than the web front.
        public var scheduleSeconds: Int?
        /// `MemorySize` in MB, and the variables Lambda derives from `LoggingConfig`
        /// (`AWS_LAMBDA_LOG_FORMAT`, `AWS_LAMBDA_LOG_LEVEL`, `AWS_LAMBDA_LOG_GROUP_NAME`).
        public var memoryMegabytes = 128
        public var lambdaVariables: [String: String] = [:]
        /// The inline statements of its `Policies` (what its role would allow on AWS).
        public var policy = IAMPolicy(statements: [])
    }

    public var functions: [Function]
    /// Ref values (table names, bucket names, topic ARNs, queue URLs, state machine ARNs) by logical id.
    public var references: [String: String]
}

/// Creates the resources of `template.yaml` in moto through the project's own AWS clients, so the
/// local stack has exactly the deployed names and wiring (one source of truth).
public struct StackDeployer {
    let templatePath: String
    let parameters: [String: String]
    let stackName: String
    let client: AWSClient
    let account: String

    /// Deploys `templatePath` (relative paths in it are taken from its folder) with `parameters`.
    public init(templatePath: String, parameters: [String: String], stackName: String = "gas", client: AWSClient, account: String = "123456789012") {
        self.templatePath = templatePath
        self.parameters = parameters
        self.stackName = stackName
        self.client = client
        self.account = account
    }

    public func deploy(log: (String) -> Void) async throws -> StackDescription {
        let text = try String(contentsOfFile: templatePath, encoding: .utf8)
        guard let node = try Yams.compose(yaml: text) else { throw StackError.invalidTemplate("empty") }
        let template = try TemplateValue(node)
        var intrinsics = Intrinsics(
            parameters: try resolveParameters(template["Parameters"]),
            conditions: Dictionary(uniqueKeysWithValues: (template["Conditions"]?.members ?? []).map { ($0.key, $0.value) }),
            pseudo: [
                "AWS::Region": client.region, "AWS::AccountId": account, "AWS::StackName": stackName, "AWS::Partition": "aws",
                "AWS::URLSuffix": "amazonaws.com",
                "AWS::StackId": "arn:aws:cloudformation:\(client.region):\(account):stack/\(stackName)/6a5c0000-0000-4000-8000-00000000ca11",
            ])
        let globals = template["Globals"]?["Function"]
        var pending = template["Resources"]?.members ?? []
        var functions: [StackDescription.Function] = []
        var queuesByARN: [String: (url: String, visibilityTimeout: Int)] = [:]
        let logical = Set(pending.map(\.key))
        while !pending.isEmpty {
            let ready = pending.firstIndex { resource in
                var needs = Intrinsics.dependencies(resource.value["Properties"] ?? .null).intersection(logical)
                if let dependsOn = resource.value["DependsOn"] { needs.formUnion(dependsOn.list?.compactMap(\.string) ?? [dependsOn.string].compactMap { $0 }) }
                return needs.isSubset(of: Set(intrinsics.references.keys))
            }
            guard let index = ready else {
                throw StackError.unresolved("resources with circular or missing references: \(pending.map(\.key).joined(separator: ", "))")
            }
            let (name, resource) = pending.remove(at: index)
            if let condition = resource["Condition"]?.string, try !intrinsics.condition(condition) {
                intrinsics.references[name] = ""
                continue
            }
            let properties = try intrinsics.resolve(resource["Properties"] ?? .map([])) ?? .map([])
            let type = resource["Type"]?.string ?? ""
            switch type {
            case "AWS::DynamoDB::Table":
                try await createTable(name, properties, &intrinsics)
            case "AWS::S3::Bucket":
                try await createBucket(name, properties, &intrinsics)
            case "AWS::SNS::Topic":
                let key = try properties["KmsMasterKeyId"].map { value throws(StackError) in try intrinsics.string(value) }
                let arn = try await SNSClient(client: client).createTopic("\(stackName)-\(name)", attributes: key.map { ["KmsMasterKeyId": $0] } ?? [:])
                intrinsics.references[name] = arn
                intrinsics.attributes["\(name).TopicName"] = "\(stackName)-\(name)"
            case "AWS::SQS::Queue":
                let url = try await createQueue(name, properties, &intrinsics)
                let visibility = Int(try intrinsics.string(properties["VisibilityTimeout"] ?? .number(30))) ?? 30
                queuesByARN[intrinsics.attributes["\(name).Arn"] ?? ""] = (url, visibility)
            case "AWS::SNS::Subscription":
                let arn = try await SNSClient(client: client).subscribe(
                    topicARN: try intrinsics.string(properties["TopicArn"] ?? .null), protocol: try intrinsics.string(properties["Protocol"] ?? .null),
                    endpoint: try intrinsics.string(properties["Endpoint"] ?? .null), rawDelivery: properties["RawMessageDelivery"] == .bool(true))
                intrinsics.references[name] = arn
            case "AWS::Serverless::Function":
                let function = try serverlessFunction(name, properties, globals: globals, intrinsics: intrinsics, queues: queuesByARN)
                functions.append(function)
                intrinsics.references[name] = name
                intrinsics.attributes["\(name).Arn"] = "arn:aws:lambda:\(client.region):\(account):function:\(name)"
            case "AWS::Serverless::StateMachine":
                try await createStateMachine(name, properties, &intrinsics)
            case "AWS::Serverless::HttpApi":
                // gas-local serves the web front with gas-web instead of an API Gateway.
                intrinsics.references[name] = name
                intrinsics.attributes["\(name).ApiEndpoint"] = parameters["PublicBaseURL"] ?? ""
            case "AWS::KMS::Key":
                try await createKey(name, properties, &intrinsics)
            case "AWS::Logs::LogGroup":
                try await createLogGroup(name, properties, &intrinsics)
            case "AWS::CloudWatch::Alarm":
                intrinsics.references[name] = name  // moto keeps no metrics to alarm on: the alarms are AWS-only
            case "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy", "AWS::S3::BucketPolicy", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Events::Rule", "AWS::Lambda::Permission":
                intrinsics.references[name] = name  // access control: moto does not enforce it locally
            default:
                throw StackError.unsupported("resource type \(type) (\(name))")
            }
            log("  created \(type) \(name) → \(intrinsics.references[name] ?? "")")
        }
        return StackDescription(functions: functions, references: intrinsics.references)
    }

    private func resolveParameters(_ declared: TemplateValue?) throws(StackError) -> [String: String] {
        var values: [String: String] = [:]
        var missing: [String] = []
        for (name, declaration) in declared?.members ?? [] {
            if let given = parameters[name] {
                values[name] = given
            } else if let fallback = declaration["Default"] {
                switch fallback {
                case .string(let text): values[name] = text
                case .number(let number): values[name] = number.rounded() == number ? String(Int(number)) : String(number)
                default: values[name] = ""
                }
            } else {
                missing.append(name)
            }
        }
        guard missing.isEmpty else { throw .unresolved("parameters without a value: \(missing.joined(separator: ", "))") }
        return values
    }

    private func createTable(_ name: String, _ properties: TemplateValue, _ intrinsics: inout Intrinsics) async throws {
        let table = "\(stackName)-\(name)"
        guard let hash = properties["KeySchema"]?.list?.first(where: { $0["KeyType"]?.string == "HASH" })?["AttributeName"]?.string else {
            throw StackError.invalidTemplate("\(name) has no HASH key")
        }
        let indexes = try (properties["GlobalSecondaryIndexes"]?.list ?? []).map { index throws(StackError) -> DynamoDBGlobalIndex in
            guard let indexName = index["IndexName"]?.string,
                let key = index["KeySchema"]?.list?.first(where: { $0["KeyType"]?.string == "HASH" })?["AttributeName"]?.string
            else { throw StackError.invalidTemplate("\(name) has a GSI without a HASH key") }
            let type = properties["AttributeDefinitions"]?.list?.first { $0["AttributeName"]?.string == key }?["AttributeType"]?.string ?? "S"
            return DynamoDBGlobalIndex(name: indexName, hashKey: key, hashKeyType: type)
        }
        let dynamodb = DynamoDBClient(client: client)
        try await dynamodb.createTable(table, hashKey: hash, indexes: indexes, encrypted: properties["SSESpecification"]?["SSEEnabled"] == .bool(true))
        if properties["PointInTimeRecoverySpecification"]?["PointInTimeRecoveryEnabled"] == .bool(true) {
            try await dynamodb.enablePointInTimeRecovery(table: table)
        }
        if let ttl = properties["TimeToLiveSpecification"], ttl["Enabled"] == .bool(true), let attribute = ttl["AttributeName"]?.string {
            try await dynamodb.enableTimeToLive(table: table, attribute: attribute)
        }
        intrinsics.references[name] = table
        intrinsics.attributes["\(name).Arn"] = "arn:aws:dynamodb:\(client.region):\(account):table/\(table)"
    }

    private func createBucket(_ name: String, _ properties: TemplateValue, _ intrinsics: inout Intrinsics) async throws {
        let bucket = properties["BucketName"]?.string ?? "\(stackName)-\(name.lowercased())"
        let s3 = S3Client(client: client)
        try await s3.createBucket(bucket)
        if properties["VersioningConfiguration"]?["Status"]?.string == "Enabled" { try await s3.enableVersioning(bucket: bucket) }
        let encryption = properties["BucketEncryption"]?["ServerSideEncryptionConfiguration"]?.list?.first?["ServerSideEncryptionByDefault"]
        if let algorithm = encryption?["SSEAlgorithm"]?.string {
            try await s3.putBucketEncryption(bucket: bucket, algorithm: algorithm, kmsKeyID: encryption?["KMSMasterKeyID"]?.string)
        }
        if let block = properties["PublicAccessBlockConfiguration"] {
            try await s3.putPublicAccessBlock(
                bucket: bucket, blockPublicAcls: block["BlockPublicAcls"] == .bool(true), ignorePublicAcls: block["IgnorePublicAcls"] == .bool(true),
                blockPublicPolicy: block["BlockPublicPolicy"] == .bool(true), restrictPublicBuckets: block["RestrictPublicBuckets"] == .bool(true))
        }
        let cors = (properties["CorsConfiguration"]?["CorsRules"]?.list ?? []).map { rule in
            S3CORSRule(
                allowedMethods: rule["AllowedMethods"]?.list?.compactMap(\.string) ?? [], allowedOrigins: rule["AllowedOrigins"]?.list?.compactMap(\.string) ?? [],
                allowedHeaders: rule["AllowedHeaders"]?.list?.compactMap(\.string) ?? [], maxAgeSeconds: rule["MaxAge"].flatMap { if case .number(let seconds) = $0 { Int(seconds) } else { nil } })
        }
        if !cors.isEmpty { try await s3.putBucketCors(bucket: bucket, rules: cors) }
        let queues = properties["NotificationConfiguration"]?["QueueConfigurations"]?.list ?? []
        if !queues.isEmpty {
            let targets = queues.compactMap { entry -> S3NotificationTarget? in
                guard let arn = entry["Queue"]?.string, let event = entry["Event"]?.string else { return nil }
                let rules = entry["Filter"]?["S3Key"]?["Rules"]?.list ?? []
                func rule(_ kind: String) -> String? { rules.first { $0["Name"]?.string?.lowercased() == kind }?["Value"]?.string }
                return S3NotificationTarget(kind: .queue, arn: arn, events: [event], prefix: rule("prefix"), suffix: rule("suffix"))
            }
            try await s3.putBucketNotificationConfiguration(bucket: bucket, targets: targets)
        }
        intrinsics.references[name] = bucket
        intrinsics.attributes["\(name).Arn"] = "arn:aws:s3:::\(bucket)"
    }

    private func createQueue(_ name: String, _ properties: TemplateValue, _ intrinsics: inout Intrinsics) async throws -> String {
        var attributes: [String: String] = [:]
        for key in ["VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "SqsManagedSseEnabled", "KmsMasterKeyId"] {
            if let value = properties[key] { attributes[key] = try intrinsics.string(value) }
        }
        if let redrive = properties["RedrivePolicy"] {
            let target = try intrinsics.string(redrive["deadLetterTargetArn"] ?? .null)
            let count = try intrinsics.string(redrive["maxReceiveCount"] ?? .number(5))
            attributes["RedrivePolicy"] = #"{"deadLetterTargetArn":"\#(target)","maxReceiveCount":"\#(count)"}"#
        }
        let sqs = SQSClient(client: client)
        let url = try await sqs.createQueue("\(stackName)-\(name)", attributes: attributes)
        intrinsics.references[name] = url
        intrinsics.attributes["\(name).Arn"] = try await sqs.queueAttributes(queueURL: url)["QueueArn"]
        intrinsics.attributes["\(name).QueueName"] = "\(stackName)-\(name)"
        return url
    }

    private func serverlessFunction(
        _ name: String, _ properties: TemplateValue, globals: TemplateValue?, intrinsics: Intrinsics,
        queues: [String: (url: String, visibilityTimeout: Int)]
    ) throws -> StackDescription.Function {
        guard let codeURI = properties["CodeUri"]?.string else { throw StackError.invalidTemplate("\(name) has no CodeUri") }
        let product = String(codeURI.split(separator: "/").last?.split(separator: ".").first ?? "")
        var environment: [String: String] = [:]
        for source in [try intrinsics.resolve(globals?["Environment"]?["Variables"] ?? .map([])), properties["Environment"]?["Variables"]] {
            for (key, value) in source?.members ?? [] { environment[key] = try intrinsics.string(value) }
        }
        let timeout = Double(try intrinsics.string(properties["Timeout"] ?? globals?["Timeout"] ?? .number(3))) ?? 3
        var triggers: [(url: String, arn: String, batchSize: Int, visibilityTimeout: Int)] = []
        let events = properties["Events"]?.members ?? []
        // The web front's API and schedule: gas-local runs gas-web, which serves and sweeps itself.
        let isWeb = events.contains { $0.1["Type"]?.string == "HttpApi" }
        var schedule: Int?
        for (eventName, event) in events {
            if event["Type"]?.string == "HttpApi" { continue }
            if event["Type"]?.string == "Schedule" {
                let expression = try intrinsics.string(event["Properties"]?["Schedule"] ?? .null)
                guard let seconds = Self.rateSeconds(expression) else { throw StackError.unsupported("schedule \(expression) of \(name)") }
                schedule = seconds
                continue
            }
            guard event["Type"]?.string == "SQS" else { throw StackError.unsupported("event \(eventName) of \(name)") }
            let arn = try intrinsics.string(event["Properties"]?["Queue"] ?? .null)
            guard let queue = queues[arn] else { throw StackError.unresolved("queue \(arn) of \(name)") }
            // Lambda refuses such a mapping: a record would come back while its invocation still runs.
            guard Double(queue.visibilityTimeout) >= timeout else {
                throw StackError.invalidTemplate(
                    "\(name): Queue visibility timeout: \(queue.visibilityTimeout) seconds is less than Function timeout: \(Int(timeout)) seconds")
            }
            triggers.append((queue.url, arn, Int(try intrinsics.string(event["Properties"]?["BatchSize"] ?? .number(10))) ?? 10, queue.visibilityTimeout))
        }
        let logging = try intrinsics.resolve(globals?["LoggingConfig"] ?? .map([]))?.members ?? []
        var lambdaVariables: [String: String] = [:]
        for (key, value) in logging + (properties["LoggingConfig"]?.members ?? []) {
            switch key {
            case "LogFormat": lambdaVariables["AWS_LAMBDA_LOG_FORMAT"] = try intrinsics.string(value)
            // Lambda passes the application level to the runtime only with the JSON format.
            case "ApplicationLogLevel": lambdaVariables["AWS_LAMBDA_LOG_LEVEL"] = try intrinsics.string(value)
            case "LogGroup": lambdaVariables["AWS_LAMBDA_LOG_GROUP_NAME"] = try intrinsics.string(value)
            default: continue
            }
        }
        if lambdaVariables["AWS_LAMBDA_LOG_FORMAT"] != "JSON" { lambdaVariables["AWS_LAMBDA_LOG_LEVEL"] = nil }
        let memory = Int(try intrinsics.string(properties["MemorySize"] ?? globals?["MemorySize"] ?? .number(128))) ?? 128
        return StackDescription.Function(
            name: name, product: product, environment: environment, timeout: timeout, queues: triggers, isWeb: isWeb,
            scheduleSeconds: isWeb ? nil : schedule, memoryMegabytes: memory, lambdaVariables: lambdaVariables,
            policy: try Self.policy(properties["Policies"], intrinsics: intrinsics))
    }

    /// The `Allow` statements of a function's inline `Policies` (SAM policy templates are not read).
    static func policy(_ policies: TemplateValue?, intrinsics: Intrinsics) throws(StackError) -> IAMPolicy {
        func strings(_ value: TemplateValue?) throws(StackError) -> [String] {
            guard let value else { return [] }
            if let list = value.list { return try list.map { item throws(StackError) in try intrinsics.string(item) } }
            return [try intrinsics.string(value)]
        }
        var statements: [IAMPolicy.Statement] = []
        for entry in policies?.list ?? [] {
            for statement in entry["Statement"]?.list ?? [] where statement["Effect"]?.string == "Allow" {
                let condition = statement["Condition"]
                let prefix = condition?["StringLike"]?["s3:prefix"] ?? condition?["StringEquals"]?["s3:prefix"]
                statements.append(
                    .init(actions: try strings(statement["Action"]), resources: try strings(statement["Resource"]), prefixes: prefix == nil ? nil : try strings(prefix)))
            }
        }
        return IAMPolicy(statements: statements)
    }

    /// The period of `rate(N unit)` in seconds; nil for anything else (cron expressions).
    static func rateSeconds(_ expression: String) -> Int? {
        guard expression.hasPrefix("rate("), expression.hasSuffix(")") else { return nil }
        let parts = expression.dropFirst(5).dropLast().split(separator: " ")
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        switch parts[1] {
        case "minute", "minutes": return count * 60
        case "hour", "hours": return count * 3600
        case "day", "days": return count * 86400
        default: return nil
        }
    }

    /// A customer-managed key in moto's KMS (the key policy is not enforced there).
    private func createKey(_ name: String, _ properties: TemplateValue, _ intrinsics: inout Intrinsics) async throws {
        struct Input: Encodable { let Description: String }
        struct Output: Decodable {
            struct Metadata: Decodable { let KeyId: String, Arn: String }
            let KeyMetadata: Metadata
        }
        let description = try intrinsics.string(properties["Description"] ?? .string(name))
        let created = try await client.json(
            Self.kms, target: "TrentService.CreateKey", input: Input(Description: description), idempotent: false, version: "1.1", as: Output.self)
        intrinsics.references[name] = created.KeyMetadata.KeyId
        intrinsics.attributes["\(name).Arn"] = created.KeyMetadata.Arn
    }

    /// A log group with its retention (the functions' lines go to gas-local's output here).
    private func createLogGroup(_ name: String, _ properties: TemplateValue, _ intrinsics: inout Intrinsics) async throws {
        struct Create: Encodable { let logGroupName: String }
        struct Retention: Encodable { let logGroupName: String, retentionInDays: Int }
        struct Empty: Decodable {}
        let group = try intrinsics.string(properties["LogGroupName"] ?? .string("/gas/\(stackName)/\(name)"))
        _ = try await client.json(
            Self.logs, target: "Logs_20140328.CreateLogGroup", input: Create(logGroupName: group), idempotent: false, version: "1.1", as: Empty.self)
        if let days = try properties["RetentionInDays"].map({ value throws(StackError) in Int(try intrinsics.string(value)) }), let days {
            _ = try await client.json(
                Self.logs, target: "Logs_20140328.PutRetentionPolicy", input: Retention(logGroupName: group, retentionInDays: days), idempotent: true,
                version: "1.1", as: Empty.self)
        }
        intrinsics.references[name] = group
        intrinsics.attributes["\(name).Arn"] = "arn:aws:logs:\(client.region):\(account):log-group:\(group):*"
    }

    static let kms = AWSService(name: "kms", signingName: "kms", hostPrefix: "kms", endpointKey: "KMS")
    static let logs = AWSService(name: "logs", signingName: "logs", hostPrefix: "logs", endpointKey: "CLOUDWATCH_LOGS")

    private func createStateMachine(_ name: String, _ properties: TemplateValue, _ intrinsics: inout Intrinsics) async throws {
        guard let uri = properties["DefinitionUri"]?.string else { throw StackError.unsupported("\(name) without DefinitionUri") }
        let folder = URL(fileURLWithPath: templatePath).deletingLastPathComponent()
        var definition = try String(contentsOf: folder.appendingPathComponent(uri), encoding: .utf8)
        for (key, value) in properties["DefinitionSubstitutions"]?.members ?? [] {
            definition = definition.replacingOccurrences(of: "${\(key)}", with: try intrinsics.string(value))
        }
        let arn = try await StepFunctionsClient(client: client).createStateMachine(
            name: "\(stackName)-\(name)", definition: definition, roleARN: "arn:aws:iam::\(account):role/\(stackName)-\(name)")
        intrinsics.references[name] = arn
        intrinsics.attributes["\(name).Name"] = "\(stackName)-\(name)"
    }
}
