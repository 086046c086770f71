import AWSCore
import AWSS3
import AnnotationEngine
import HTTPTransport
import Workflows

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `AnnotationEngine` on a job: input from S3 to a scratch file, annotate, then
/// `<input key minus .vcf>.annot.vcf` and `<input key>.count.log` to the results bucket.
public struct EngineAnnotationRunner: AnnotationRunner {
    let s3: S3Client
    let annotator: Annotator
    let resultsBucket: String
    let scratchDirectory: String

    /// Annotates with `annotator`, writing to `resultsBucket`.
    public init(s3: S3Client, annotator: Annotator, resultsBucket: String, scratchDirectory: String = "/tmp") {
        self.s3 = s3
        self.annotator = annotator
        self.resultsBucket = resultsBucket
        self.scratchDirectory = scratchDirectory
    }

    /// Result and log keys for an input key (`u/job~x.vcf` → `u/job~x.annot.vcf`, `u/job~x.vcf.count.log`).
    public static func outputKeys(inputKey: String) -> (result: String, log: String) {
        let base = inputKey.lowercased().hasSuffix(".vcf") ? String(inputKey.dropLast(4)) : inputKey
        return (base + ".annot.vcf", inputKey + ".count.log")
    }

    public func annotate(_ input: AnnotationInput) async throws -> AnnotationOutput {
        let token = UInt32.random(in: .min ... .max)
        let inputPath = "\(scratchDirectory)/gas-\(input.jobID)-\(token).vcf"
        let outputPath = "\(scratchDirectory)/gas-\(input.jobID)-\(token).annot.vcf"
        defer {
            unlink(inputPath)
            unlink(outputPath)
        }
        let keys = Self.outputKeys(inputKey: input.input.key)
        let result = ObjectLocation(bucket: resultsBucket, key: keys.result)
        let log = ObjectLocation(bucket: resultsBucket, key: keys.log)
        do {
            let sink = try FileBodySink(path: inputPath)
            let exists = try await download(input.input, to: sink)
            if !exists {
                // A request for an input that is not there can never succeed: fail the job, say why.
                let reason = "input \(input.input) does not exist"
                let message = "GAS annotation of \(input.inputFileName) failed\n\(reason)\n"
                try await s3.putObject(bucket: log.bucket, key: log.key, body: .bytes(Array(message.utf8)), options: Self.textOptions)
                throw AnnotationRejected(reason: reason, log: log)
            }
            let counts: AnnotationCounts
            do {
                counts = try annotator.annotate(inputPath: inputPath, outputPath: outputPath)
            } catch .invalidVCF(let line, let reason) {
                let message = "GAS annotation of \(input.inputFileName) failed\ninvalid VCF at line \(line): \(reason)\n"
                try await s3.putObject(bucket: log.bucket, key: log.key, body: .bytes(Array(message.utf8)), options: Self.textOptions)
                throw AnnotationRejected(reason: "invalid VCF at line \(line): \(reason)", log: log)
            } catch {
                throw WorkflowError.dependency("annotation: \(error)", retryable: false)
            }
            let source = try FileBodySource(path: outputPath)
            try await s3.putObject(
                bucket: result.bucket, key: result.key, body: source.body,
                options: S3PutOptions(contentType: "text/x-vcf", serverSideEncryption: "AES256"))
            let text = Annotator.countLog(counts, input: input.inputFileName)
            try await s3.putObject(bucket: log.bucket, key: log.key, body: .bytes(Array(text.utf8)), options: Self.textOptions)
            return AnnotationOutput(result: result, log: log)
        } catch let error as AWSError {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        } catch let error as HTTPError {
            throw WorkflowError.dependency("scratch file: \(error.message)", retryable: false)
        }
    }

    /// Downloads an object into `sink`; false when it does not exist.
    private func download(_ location: ObjectLocation, to sink: FileBodySink) async throws -> Bool {
        do {
            _ = try await s3.getObject(bucket: location.bucket, key: location.key, sink: sink)
            return true
        } catch {
            if error.isMissingObject || error.code == "NoSuchBucket" { return false }
            throw error
        }
    }

    static let textOptions = S3PutOptions(contentType: "text/plain", serverSideEncryption: "AES256")
}
