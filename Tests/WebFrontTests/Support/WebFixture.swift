import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSecretsManager
import FoundationEssentials
import HTTPTransport
import Hummingbird
import LocalLambda
import LocalStack
import Logging
import TestSupport
import Testing

@testable import WebFront

/// The web front on GAS's real tables, buckets and topics: template.yaml deployed into the shared
/// moto, the local AWS endpoint with its S3 checks in front, the client secret in Secrets Manager,
/// and a strict identity provider. Every test holds its own (moto is leased, then reset).
/// Unchecked: the router is built once and only read afterwards.
struct WebFixture: @unchecked Sendable {
    static let baseURL = "https://gas.example.org"

    let lease: MotoLease
    let endpoint: AWSEndpoint
    let issuer: TestIssuer
    let services: WebServices
    let router: Router<WebContext>
    let aws: AWSClient
    let stack: StackDescription
    let logger: Logger

    var configuration: WebConfiguration { services.configuration }
    var db: DynamoDBClient { DynamoDBClient(client: aws) }
    var s3: S3Client { S3Client(client: aws) }

    /// `payments`: subscriptions on, against the shared localstripe (or `stripeURL`, with `stripeSecret`).
    static func start(
        baseURL: String = baseURL, listPageSize: Int? = nil, payments: Bool = false, stripeSecret: String = LocalStripe.secretKey,
        stripeURL: String? = nil
    ) async throws -> WebFixture {
        let lease = try await MotoServer.shared.lease()
        let endpoint = try AWSEndpoint(moto: MotoServer.shared.endpoint)
        S3RequestChecks(credentials: [LocalStackHost.credentials]).install(on: endpoint) { _ in }
        let aws = try MotoServer.shared.client()
        let issuer = try await TestIssuer(redirectURI: baseURL + "/authcallback")
        let secrets = SecretsManagerClient(client: aws)
        let secretARN = try await secrets.createSecret(name: "gas/oidc-\(UInt32.random(in: 0...UInt32.max))", value: TestIssuer.clientSecret)
        var stripe: [String: String] = [:]
        var stripeEnvironment: [String: String] = [:]
        if payments {
            let localStripe = try await LocalStripe.shared()
            stripe = [
                "StripePublishableKey": LocalStripe.publishableKey, "StripePlanId": localStripe.plan,
                "StripeSecretKeyArn": try await secrets.createSecret(name: "gas/stripe-\(UInt32.random(in: 0...UInt32.max))", value: stripeSecret),
            ]
            stripeEnvironment = [
                "STRIPE_API_URL": stripeURL ?? localStripe.url, "STRIPE_JS_URL": localStripe.url + "/js.stripe.com/v3/", "THAW_RESEND_SECONDS": "1",
            ]
        }
        let stack = try await StackDeployer(
            templatePath: Vectors.packageRoot.path + "/template.yaml",
            parameters: [
                "ColdStore": "s3-glacier", "RetentionSeconds": "300", "MailSender": "gas@example.org", "PublicBaseURL": baseURL,
                "OIDCIssuer": issuer.url, "OIDCClientId": TestIssuer.clientID, "OIDCClientSecretArn": secretARN,
                "ReferenceBucket": "gas-reference", "RefGeneKey": "reference/refGene.txt", "KnownVariantsKey": "reference/known_variants.vcf",
            ].merging(stripe) { $1 },
            client: aws
        ).deploy { _ in }
        let web = try #require(stack.functions.first { $0.isWeb })
        let environment = web.environment.merging(MotoServer.shared.environmentVariables) { $1 }.merging(["AWS_ENDPOINT_URL": endpoint.url]) { $1 }
            .merging(stripeEnvironment) { $1 }
        var logger = Logger(label: "web-tests")
        logger.logLevel = .critical
        let services = try await WebServices.fromEnvironment(environment, logger: logger, listPageSize: listPageSize)
        return WebFixture(
            lease: lease, endpoint: endpoint, issuer: issuer, services: services, router: WebRouter.build(services), aws: aws, stack: stack,
            logger: logger)
    }

    /// Every item of `table`.
    func scan(_ table: String) async throws -> [DynamoDBItem] { try await db.scan(table: table).items }

    /// A job of `user` as the annotator leaves it.
    @discardableResult
    func putJob(
        _ id: String, user: String, status: String = "COMPLETED", fileName: String = "sample.vcf", submitted: Int = 1_751_000_000,
        result: [UInt8]? = nil, log: String? = nil, extra: DynamoDBItem = [:]
    ) async throws -> DynamoDBItem {
        let inputKey = "\(configuration.inputsPrefix)\(user)/\(id)~\(fileName)"
        var item: DynamoDBItem = [
            "job_id": .s(id), "user_id": .s(user), "input_file_name": .s(fileName), "s3_inputs_bucket": .s(configuration.inputsBucket),
            "s3_key_input_file": .s(inputKey), "submit_time": .int(submitted), "job_status": .s(status),
        ]
        try await s3.putObject(bucket: configuration.inputsBucket, key: inputKey, body: .bytes(Array("##fileformat=VCFv4.2\n".utf8)))
        if status == "COMPLETED" {
            let bucket = stack.references["ResultsBucket"] ?? ""
            let base = fileName.hasSuffix(".vcf") ? String(fileName.dropLast(4)) : fileName
            let resultKey = "\(user)/\(id)~\(base).annot.vcf", logKey = "\(user)/\(id)~\(fileName).count.log"
            try await s3.putObject(bucket: bucket, key: resultKey, body: .bytes(result ?? Array("annotated\n".utf8)))
            try await s3.putObject(bucket: bucket, key: logKey, body: .bytes(Array((log ?? "42 variants\n").utf8)))
            item.merge([
                "s3_results_bucket": .s(bucket), "s3_key_result_file": .s(resultKey), "s3_key_log_file": .s(logKey),
                "complete_time": .int(submitted + 90), "results_storage": .s("S3"),
            ]) { $1 }
        }
        item.merge(extra) { $1 }
        try await db.putItem(table: configuration.annotationsTable, item: item)
        return item
    }
}
