import AWSCore
import AWSS3
import AWSSNS
import AWSStepFunctions
import AnnotationEngine
import Logging
import Workflows
import WorkflowsAWS

extension GASServices {
    /// The annotator's ports: references loaded from S3 once, SNS results topic, archive state machine.
    public func annotateWorkflow(environment: [String: String], logger: Logger) async throws -> AnnotateWorkflow {
        func required(_ name: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else { throw HandlerConfiguration.Invalid(errorMessage: "\(name) is not set") }
            return value
        }
        let retention = Int(environment["RETENTION_SECONDS"] ?? "300") ?? -1
        guard retention >= 0 else { throw HandlerConfiguration.Invalid(errorMessage: "RETENTION_SECONDS must be a whole number of seconds") }
        let s3 = S3Client(client: aws)
        let genes = try GeneTable(text: try await Self.text(at: try required("REFGENE_S3_URI"), s3: s3), name: "REFGENE_S3_URI")
        var known: KnownVariants?
        if let uri = environment["KNOWN_VARIANTS_S3_URI"], !uri.isEmpty {
            known = try KnownVariants(text: try await Self.text(at: uri, s3: s3), name: "KNOWN_VARIANTS_S3_URI")
        }
        logger.info("references loaded", metadata: ["transcripts": "\(genes.count)", "known_alleles": "\(known?.count ?? 0)"])
        return AnnotateWorkflow(
            jobs: jobs, ledger: jobs, users: users,
            runner: EngineAnnotationRunner(s3: s3, annotator: Annotator(genes: genes, known: known), resultsBucket: configuration.resultsBucket),
            events: SNSEventPublisher(sns: SNSClient(client: aws), topicARN: try required("JOB_RESULTS_TOPIC_ARN")),
            archives: StepFunctionsWorkflowStarter(
                sfn: StepFunctionsClient(client: aws), stateMachineARN: try required("ARCHIVE_STATE_MACHINE_ARN"), retentionSeconds: retention),
            logger: logger)
    }

    /// The text of an `s3://bucket/key` object.
    static func text(at uri: String, s3: S3Client) async throws -> String {
        guard uri.hasPrefix("s3://"), let slash = uri.dropFirst(5).firstIndex(of: "/") else {
            throw HandlerConfiguration.Invalid(errorMessage: "expected s3://bucket/key, got \(uri)")
        }
        let bucket = String(uri.dropFirst(5)[..<slash])
        let key = String(uri[uri.index(after: slash)...])
        do {
            return String(decoding: try await s3.getObject(bucket: bucket, key: key).body, as: UTF8.self)
        } catch {
            throw HandlerConfiguration.Invalid(errorMessage: "cannot read \(uri): \(error.message)")
        }
    }
}
