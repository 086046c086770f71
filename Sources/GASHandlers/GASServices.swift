import AWSCore
import AWSDynamoDB
import AWSGlacier
import AWSS3
import AWSSES
import LambdaRuntime
import Logging
import Workflows
import WorkflowsAWS

/// The ports of the workflows, built once per process from the configuration.
public struct GASServices: Sendable {
    public let configuration: HandlerConfiguration
    public let jobs: DynamoDBJobTable
    public let users: DynamoDBUserDirectory
    public let objects: S3ObjectStore
    public let cold: any ColdStore
    /// The same cold store, as the reconciler asks it.
    public let inventory: any ColdInventory
    public let aws: AWSClient

    /// Reads the environment and builds clients; fails with the names of what is missing.
    public init(environment: [String: String], required: [String] = [], requiredWithVault: [String] = [], logger: Logger) throws {
        configuration = try HandlerConfiguration(environment: environment, required: required, requiredWithVault: requiredWithVault)
        do {
            // Under a Runtime API these are the process's variables: credentials are read again when refreshed.
            let live = environment["AWS_LAMBDA_RUNTIME_API"] != nil ? AWSEnvironment.processVariable : nil
            aws = try AWSClient.fromEnvironment(AWSEnvironment(variables: environment, live: live), logger: logger)
        } catch {
            throw HandlerConfiguration.Invalid(errorMessage: error.message)
        }
        let db = DynamoDBClient(client: aws)
        let s3 = S3Client(client: aws)
        jobs = DynamoDBJobTable(db: db, table: configuration.annotationsTable, usersTable: configuration.usersTable, userIndex: configuration.userIndex)
        users = DynamoDBUserDirectory(db: db, table: configuration.usersTable)
        objects = S3ObjectStore(s3: s3)
        switch configuration.backend {
        case .s3Glacier:
            let store = S3GlacierColdStore(s3: s3, bucket: configuration.resultsBucket)
            (cold, inventory) = (store, store)
        case .glacierVault:
            let store = GlacierVaultColdStore(
                glacier: GlacierClient(client: aws), s3: s3, vault: configuration.vault ?? "", snsTopic: configuration.retrievalTopicARN,
                multipartThreshold: configuration.glacierMultipartThreshold ?? GlacierVaultColdStore.defaultMultipartThreshold)
            (cold, inventory) = (store, store)
        }
    }

    /// The SES mailer (NotifyHandler).
    public var mailer: SESMailer { SESMailer(ses: SESClient(client: aws), sender: configuration.mailSender ?? "") }
}
