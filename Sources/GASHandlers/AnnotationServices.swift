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
    /// Every missing or malformed variable is named at once, before any reference is downloaded.
    public func annotateWorkflow(environment: [String: String], logger: Logger) async throws -> AnnotateWorkflow {
        var problems: [String] = []
        func value(_ name: String, required: Bool = true) -> String? {
            if let value = environment[name], !value.isEmpty { return value }
            if required { problems.append("\(name) is not set") }
            return nil
        }
        func location(_ name: String, required: Bool = true) -> (bucket: String, key: String)? {
            guard let uri = value(name, required: required) else { return nil }
            guard let parsed = Self.s3Location(uri) else {
                problems.append("\(name): expected s3://bucket/key, got \(uri.prefix(200))")
                return nil
            }
            return parsed
        }
        let genesAt = location("REFGENE_S3_URI")
        let knownAt = location("KNOWN_VARIANTS_S3_URI", required: false)
        let topic = value("JOB_RESULTS_TOPIC_ARN")
        let stateMachine = value("ARCHIVE_STATE_MACHINE_ARN")
        let retention = Int(environment["RETENTION_SECONDS"] ?? "300") ?? -1
        if retention < 0 { problems.append("RETENTION_SECONDS must be a whole number of seconds") }
        guard problems.isEmpty, let genesAt, let topic, let stateMachine else {
            throw HandlerConfiguration.Invalid(errorMessage: problems.joined(separator: "; "))
        }
        let s3 = S3Client(client: aws)
        let genes = try GeneTable(bytes: Array(try await Self.text(at: genesAt, named: "REFGENE_S3_URI", s3: s3).utf8), name: "REFGENE_S3_URI")
        var known: KnownVariants?
        var indexed: IndexedKnownVariants?
        if let knownAt, [".gz", ".bgz"].contains(where: { knownAt.key.lowercased().hasSuffix($0) }) {
            // A bgzipped VCF (dbSNP): read through its index, in ranged GETs, never downloaded whole.
            indexed = try await Self.indexedKnownVariants(at: knownAt, s3: s3)
        } else if let knownAt {
            known = try KnownVariants(text: try await Self.text(at: knownAt, named: "KNOWN_VARIANTS_S3_URI", s3: s3), name: "KNOWN_VARIANTS_S3_URI")
        }
        logger.info(
            "references loaded",
            metadata: ["transcripts": "\(genes.count)", "known_alleles": "\(known.map { "\($0.count)" } ?? (indexed == nil ? "0" : "indexed"))"])
        return AnnotateWorkflow(
            jobs: jobs, ledger: jobs, users: users,
            runner: MeteredAnnotationRunner(
                inner: EngineAnnotationRunner(
                    s3: s3, annotator: Annotator(genes: genes, known: known, indexedKnown: indexed), resultsBucket: configuration.resultsBucket),
                function: environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "local"),
            events: SNSEventPublisher(sns: SNSClient(client: aws), topicARN: topic),
            archives: StepFunctionsWorkflowStarter(sfn: StepFunctionsClient(client: aws), stateMachineARN: stateMachine, retentionSeconds: retention),
            logger: logger)
    }

    /// Bucket and key of an `s3://bucket/key` URI; nil when it is not one.
    static func s3Location(_ uri: String) -> (bucket: String, key: String)? {
        guard uri.hasPrefix("s3://"), let slash = uri.dropFirst(5).firstIndex(of: "/"), slash > uri.index(uri.startIndex, offsetBy: 5),
            uri.index(after: slash) < uri.endIndex
        else { return nil }
        return (String(uri.dropFirst(5)[..<slash]), String(uri[uri.index(after: slash)...]))
    }

    /// The text of the object at `location` (read from variable `name`).
    /// Known variants from a bgzipped VCF in S3 and its index beside it (`KEY.tbi`, else `KEY.csi`),
    /// the index read whole (it is small), the data read on demand.
    static func indexedKnownVariants(at location: (bucket: String, key: String), s3: S3Client) async throws -> IndexedKnownVariants {
        let uri = "s3://\(location.bucket)/\(location.key)"
        var index: [UInt8]?
        for suffix in [".tbi", ".csi"] where index == nil {
            do {
                index = try await s3.getObject(bucket: location.bucket, key: location.key + suffix).body
            } catch where error.isMissingObject {
                continue
            } catch {
                throw HandlerConfiguration.Invalid(errorMessage: "KNOWN_VARIANTS_S3_URI: cannot read the index of \(uri): \(error.message)")
            }
        }
        guard let index else {
            throw HandlerConfiguration.Invalid(
                errorMessage: "KNOWN_VARIANTS_S3_URI: \(uri) is bgzipped but has no index beside it (\(location.key).tbi or .csi: tabix -p vcf, or bcftools index)")
        }
        do {
            return try IndexedKnownVariants(data: S3RangedBytes(s3: s3, bucket: location.bucket, key: location.key), index: MemoryBytes(index), name: uri)
        } catch {
            throw HandlerConfiguration.Invalid(errorMessage: "KNOWN_VARIANTS_S3_URI: \(error)")
        }
    }

    static func text(at location: (bucket: String, key: String), named name: String, s3: S3Client) async throws -> String {
        do {
            return String(decoding: try await s3.getObject(bucket: location.bucket, key: location.key).body, as: UTF8.self)
        } catch {
            throw HandlerConfiguration.Invalid(errorMessage: "\(name): cannot read s3://\(location.bucket)/\(location.key): \(error.message)")
        }
    }
}
