import AWSCore
import AWSDynamoDB
import AWSGlacier
import AWSS3
import AWSSES
import AWSSigV4
import AWSSecretsManager
import AWSSQS
import Foundation
import HTTPTransport
import LocalLambda
import Logging
import Synchronization

/// All of GAS on one machine: moto behind one AWS endpoint, the stack from template.yaml, every
/// function on a local Lambda host fed by its queues, and the emulation of what moto lacks.
public final class LocalStackHost: Sendable {
    /// How to run.
    public struct Options: Sendable {
        public var root: String
        public var binaries: String
        public var coldStore: String
        public var retentionSeconds: Int
        public var port: UInt16
        /// How often a scheduled function (the reconciler, `rate(5 minutes)` in the template) runs here.
        public var scheduleSeconds: Int
        /// How the template's timeouts are compressed; nil: as the retention is (`LocalTimeScale(retentionSeconds:)`).
        public var timeScale: LocalTimeScale?
        /// A folder of the functions' zips (`scripts/package.sh`): each function then runs from its
        /// `PRODUCT.zip` in a chroot holding only AL2023's base libraries (`scripts/lambda-chroot.sh`).
        public var functionZips: String?

        public init(
            root: String, binaries: String, coldStore: String = "s3-glacier", retentionSeconds: Int = 20, port: UInt16 = 0, scheduleSeconds: Int = 10,
            timeScale: LocalTimeScale? = nil, functionZips: String? = nil
        ) {
            self.root = root
            self.binaries = binaries
            self.coldStore = coldStore
            self.retentionSeconds = retentionSeconds
            self.port = port
            self.scheduleSeconds = scheduleSeconds
            self.timeScale = timeScale
            self.functionZips = functionZips
        }
    }

    public static let referenceBucket = "gas-reference"
    public static let vault = "gas-vault"
    public static let sender = "gas@example.org"

    /// The web front (`gas-web`), `http://127.0.0.1:PORT`.
    public let webURL: String
    /// The local OpenID Connect issuer (oidc-provider-mock).
    public let identityProviderURL: String
    /// The local Stripe (localstripe).
    public let stripeURL: String
    /// localstripe takes any key of these shapes.
    static let stripeSecretKey = "sk_test_gas_local", stripePublishableKey = "pk_test_gas_local"
    public let endpoint: AWSEndpoint
    public let client: AWSClient
    public let stack: StackDescription
    /// The AWS calls each hosted function made, as IAM would evaluate them (by function name).
    public let iamCalls = IAMCalls(region: "us-east-1", account: "123456789012")
    public let motoURL: String
    /// `s3-glacier` or `glacier-vault`.
    public let coldStore: String
    /// The retention the stack was deployed with.
    public let retentionSeconds: Int
    private let moto: Process
    private let companions: [Process]
    private let hosts: [FunctionHost]
    private let sources: [SQSEventSource]
    private let schedules: [Task<Void, Never>]
    let log: @Sendable (String) -> Void

    /// The only credentials the local stack knows (moto takes any; the S3 checks take these).
    public static let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")

    /// Starts everything; `log` gets every line (function logs are prefixed with the function's name).
    public init(_ options: Options, log: @escaping @Sendable (String) -> Void) async throws {
        self.log = log
        coldStore = options.coldStore
        retentionSeconds = options.retentionSeconds
        let scale = options.timeScale ?? LocalTimeScale(retentionSeconds: options.retentionSeconds)
        endpoint = try AWSEndpoint(port: options.port)
        (moto, motoURL) = try Self.startMoto(root: options.root, motoPort: endpoint.port)
        endpoint.forward(to: motoURL)
        endpoint.intercept { [iamCalls] request in
            iamCalls.record(request)
            return nil
        }
        let variables = [
            "AWS_ENDPOINT_URL": endpoint.url, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": Self.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": Self.credentials.secretAccessKey,
            "HOME": "/nonexistent",
        ]
        var logger = Logger(label: "gas-local")
        logger.logLevel = .warning
        client = try AWSClient.fromEnvironment(AWSEnvironment(variables: variables), logger: logger)
        _ = try await CurlHTTPClient().send(
            HTTPRequest(method: "POST", url: motoURL + "/moto-api/config", body: .bytes(Array(#"{"stepfunctions":{"execute_state_machine":true}}"#.utf8))))

        log("gas-local: moto at \(motoURL) behind the AWS endpoint \(endpoint.url) (cold store \(options.coldStore), retention \(options.retentionSeconds) s)")
        try await Self.prepareOutsideTheTemplate(client: client, root: options.root, vault: options.coldStore == "glacier-vault")
        let webPort = try Self.freePort(), idpPort = try Self.freePort()
        webURL = "http://127.0.0.1:\(webPort)"
        identityProviderURL = "http://127.0.0.1:\(idpPort)"
        let idp = try WebCompanions.startIdentityProvider(root: options.root, port: idpPort)
        let stripePort = try Self.freePort()
        stripeURL = "http://127.0.0.1:\(stripePort)"
        let stripe = try WebCompanions.startStripe(root: options.root, port: stripePort)
        let secrets = SecretsManagerClient(client: client)
        let secretARN = try await secrets.createSecret(name: "gas-local/oidc-client-secret", value: "gas-local-client-secret")
        let stripeSecretARN = try await secrets.createSecret(name: "gas-local/stripe-secret-key", value: Self.stripeSecretKey)
        try await WebCompanions.waitUntilAnswering(stripeURL + "/js.stripe.com/v3/", what: "localstripe")
        let plan = try await WebCompanions.prepareStripe(url: stripeURL, secretKey: Self.stripeSecretKey)
        stack = try await StackDeployer(
            templatePath: options.root + "/template.yaml",
            parameters: [
                "ColdStore": options.coldStore, "GlacierVaultName": options.coldStore == "glacier-vault" ? Self.vault : "",
                "RetentionSeconds": String(options.retentionSeconds), "MailSender": Self.sender,
                "PublicBaseURL": webURL, "OIDCIssuer": identityProviderURL, "OIDCClientId": "gas-web", "OIDCClientSecretArn": secretARN,
                "ReferenceBucket": Self.referenceBucket, "StripePublishableKey": Self.stripePublishableKey, "StripeSecretKeyArn": stripeSecretARN,
                "StripePlanId": plan,
                "RefGeneKey": "reference/refGene.txt", "KnownVariantsKey": "reference/known_variants.vcf",
            ],
            client: client
        ).deploy { log($0) }

        var hosts: [FunctionHost] = []
        var sources: [SQSEventSource] = []
        var schedules: [Task<Void, Never>] = []
        let sqs = SQSClient(client: client)
        var companions = [idp, stripe]
        for function in stack.functions where function.isWeb {
            let environment = function.environment.merging(variables) { $1 }.merging([
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "PORT": String(webPort), "WEB_HOST": "127.0.0.1",
                "REQUEST_SWEEP_SECONDS": "10", "THAW_RESEND_SECONDS": "10",
                "STRIPE_API_URL": stripeURL, "STRIPE_JS_URL": stripeURL + "/js.stripe.com/v3/",
            ]) { $1 }
            companions.append(try WebCompanions.startWebFront(executable: options.binaries + "/gas-web", environment: environment, url: webURL, log: log))
        }
        try await WebCompanions.waitUntilAnswering(identityProviderURL + "/.well-known/openid-configuration", what: "the identity provider")
        self.companions = companions
        let reconcilerLimits = Self.reconcilerLimits(stack.functions, scale: scale)
        endpoint.retryEvents(after: [60, 120].map { Double(max(1, scale.scaled($0))) })
        for function in stack.functions where !function.isWeb {
            var environment = function.environment.merging(variables) { $1 }.merging(function.lambdaVariables) { $1 }.merging([
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                // Its own access key id, so iamCalls knows which function made each call.
                "AWS_ACCESS_KEY_ID": function.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(function.memoryMegabytes), "TMPDIR": NSTemporaryDirectory(),
            ]) { $1 }
            if function.scheduleSeconds != nil { environment.merge(reconcilerLimits) { $1 } }
            let timeout = scale.timeout(function.timeout)
            let launch: FunctionHost.Configuration =
                if let zips = options.functionZips {
                    .init(
                        name: function.name, executable: options.root + "/scripts/lambda-chroot.sh", arguments: [zips + "/" + function.product + ".zip"],
                        environment: environment, timeout: timeout)
                } else {
                    .init(name: function.name, executable: options.binaries + "/" + function.product, environment: environment, timeout: timeout)
                }
            let host = try FunctionHost(launch, log: log)
            endpoint.host(host)
            hosts.append(host)
            var feeds: [String] = []
            for queue in function.queues {
                let visibility = scale.visibilityTimeout(queue.visibilityTimeout, functionTimeout: timeout)
                feeds.append("\(queue.url.split(separator: "/").last ?? "") (retry after \(visibility) s)")
                let source = SQSEventSource(
                    .init(queueURL: queue.url, queueARN: queue.arn, region: client.region, batchSize: queue.batchSize, visibilityTimeout: visibility),
                    sqs: sqs, host: host, log: log)
                source.start()
                endpoint.map(source)
                sources.append(source)
            }
            if function.scheduleSeconds != nil {
                schedules.append(Self.schedule(host, every: options.scheduleSeconds, log: log))
            }
            log("gas-local: \(function.name) (\(function.product)) on Runtime API \(host.runtimeAPI), timeout \(Int(timeout)) s\(feeds.isEmpty ? "" : ", fed by " + feeds.joined(separator: ", "))")
        }
        self.hosts = hosts
        self.sources = sources
        self.schedules = schedules
        Emulation.install(on: endpoint, client: client, log: log)
        S3RequestChecks(credentials: [Self.credentials]).install(on: endpoint, log: log)
        S3MissingKeyDenial.install(on: endpoint)
    }

    /// The reconciler's limits on the local time scale, kept in the order the model checker needs:
    /// a RUNNING job is given up only after its request's redelivery (the annotate queue's local
    /// visibility timeout plus a run) could have claimed it, and a cold copy no item names is
    /// discarded only after any archive run that made it has ended (its local timeout).
    static func reconcilerLimits(_ functions: [StackDescription.Function], scale: LocalTimeScale) -> [String: String] {
        var redelivery = 0, archiveRun = 0
        for function in functions {
            let timeout = Int(scale.timeout(function.timeout).rounded(.up))
            if function.product == "ArchiveHandler" { archiveRun = timeout }
            for queue in function.queues where function.product == "AnnotateHandler" {
                redelivery = max(redelivery, scale.visibilityTimeout(queue.visibilityTimeout, functionTimeout: Double(timeout)) + timeout)
            }
        }
        let template = functions.first { $0.scheduleSeconds != nil }?.environment ?? [:]
        let runDeadline = scale.scaled(Int(template["RUN_DEADLINE_SECONDS"] ?? "") ?? 7200)
        let orphanGrace = scale.scaled(Int(template["ORPHAN_GRACE_SECONDS"] ?? "") ?? 86_400)
        let archiveGrace = scale.scaled(Int(template["ARCHIVE_GRACE_SECONDS"] ?? "") ?? 3600)
        let runningTooLong = scale.scaled(Int(template["RUNNING_TOO_LONG_SECONDS"] ?? "") ?? 3600)
        return [
            "RUNNING_TOO_LONG_SECONDS": String(max(runningTooLong, 1)),
            "RUN_DEADLINE_SECONDS": String(max(runDeadline, redelivery + 1)), "ORPHAN_GRACE_SECONDS": String(max(orphanGrace, archiveRun + 60)),
            "ARCHIVE_GRACE_SECONDS": String(max(archiveGrace, archiveRun + 60)),
        ]
    }

    /// The local Lambda host of the template's function `name` (its logical id).
    public func function(_ name: String) -> FunctionHost? { hosts.first { $0.configuration.name == name } }

    /// Invokes `host` every `seconds` with the event an EventBridge schedule sends, as Lambda would.
    static func schedule(_ host: FunctionHost, every seconds: Int, log: @escaping @Sendable (String) -> Void) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(seconds))
                if Task.isCancelled { return }
                let event = #"{"version":"0","id":"\#(UUID().uuidString.lowercased())","detail-type":"Scheduled Event","source":"aws.events","time":"\#(ISO8601DateFormatter().string(from: Date()))","detail":{}}"#
                let result = await host.invoke(Array(event.utf8))
                if let error = result.errorType { log("gas-local: \(host.configuration.name) schedule: \(error)") }
            }
        }
    }

    /// Stops the functions, the queue pollers and moto.
    public func stop() {
        schedules.forEach { $0.cancel() }
        sources.forEach { $0.stop() }
        hosts.forEach { $0.stop() }
        // The identity provider and localstripe keep nothing worth a clean exit, and the mock ignores SIGTERM.
        for process in companions where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if moto.isRunning { kill(moto.processIdentifier, SIGTERM) }
    }

    /// What the template assumes exists: the reference bucket with the sample reference, the
    /// verified sender, and for the vault backend an existing vault.
    static func prepareOutsideTheTemplate(client: AWSClient, root: String, vault: Bool) async throws {
        let s3 = S3Client(client: client)
        try await s3.createBucket(referenceBucket)
        for (file, key) in [("samples/refGene.txt", "reference/refGene.txt"), ("samples/known_variants.vcf", "reference/known_variants.vcf")] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + file)))
            try await s3.putObject(bucket: referenceBucket, key: key, body: .bytes(bytes))
        }
        try await SESClient(client: client).createEmailIdentity(sender)
        if vault { try await GlacierClient(client: client).createVault(Self.vault) }
    }

    /// A port no one listens on now (the web front's base URL must be known before it starts).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw StackError.unresolved("a free loopback port") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }

    static func startMoto(root: String, motoPort: UInt16) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: root + "/.venv/bin/python")
        process.arguments = [root + "/scripts/moto_server.py", "--parent-pid", String(ProcessInfo.processInfo.processIdentifier)]
        process.environment = ProcessInfo.processInfo.environment.merging(["MOTO_PORT": String(motoPort)]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let start = text.range(of: "http://") else { throw StackError.unresolved("moto's address (run scripts/setup.sh first): \(text)") }
        return (process, String(text[start.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
