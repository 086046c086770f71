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

    /// Result and log keys for an input key (`u/job~x.vcf` or `u/job~x.vcf.gz` → `u/job~x.annot.vcf`,
    /// and `<input key>.count.log`); the result is always plain VCF.
    public static func outputKeys(inputKey: String) -> (result: String, log: String) {
        let lower = inputKey.lowercased()
        let suffix = [".vcf.gz", ".vcf.bgz", ".vcf"].first { lower.hasSuffix($0) }
        let base = suffix.map { String(inputKey.dropLast($0.count)) } ?? inputKey
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
            func reject(_ reason: String) async throws -> Never {
                let message = "GAS annotation of \(input.inputFileName) failed\n\(reason)\n"
                try await s3.putObject(bucket: log.bucket, key: log.key, body: .bytes(Array(message.utf8)), options: Self.textOptions)
                throw AnnotationRejected(reason: reason, log: log)
            }
            // A request for an input that is not there, or too large for the scratch space, can never succeed: fail the job, say why.
            guard let size = try await inputSize(input.input) else { try await reject("input \(input.input) does not exist") }
            let needed = Self.scratchNeeded(inputBytes: size)
            if let free = Self.freeBytes(scratchDirectory), needed > free {
                try await reject(
                    "input of \(Self.megabytes(size)) needs about \(Self.megabytes(needed)) of scratch space; the annotator has \(Self.megabytes(free)) free")
            }
            let sink = try FileBodySink(path: inputPath)
            guard try await download(input.input, to: sink) else { try await reject("input \(input.input) does not exist") }
            let counts: AnnotationCounts
            do {
                counts = try await Self.onOwnThread { [annotator] () throws(AnnotationError) in
                    try annotator.annotate(inputPath: inputPath, outputPath: outputPath)
                }
            } catch .invalidVCF(let line, let reason) {
                try await reject("invalid VCF at line \(line): \(reason)")
            } catch .invalidInput(let reason) {
                try await reject(reason)
            } catch {
                // Reading a reference (known variants through S3) or the scratch files failed: a retry may pass.
                throw WorkflowError.dependency("annotation: \(error)", retryable: true)
            }
            let source = try FileBodySource(path: outputPath)
            try await s3.putObject(
                bucket: result.bucket, key: result.key, body: source.body,
                options: S3PutOptions(contentType: "text/x-vcf", serverSideEncryption: "AES256"))
            let text = Annotator.countLog(counts, input: input.inputFileName)
            try await s3.putObject(bucket: log.bucket, key: log.key, body: .bytes(Array(text.utf8)), options: Self.textOptions)
            return AnnotationOutput(result: result, log: log, inputBytes: size)
        } catch let error as AWSError {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        } catch let error as HTTPError {
            throw WorkflowError.dependency("scratch file: \(error.message)", retryable: false)
        }
    }

    /// Runs the synchronous engine on a thread of its own: its known-variants reader may block on
    /// S3 reads, which must not hold a thread of the concurrency pool the reads complete on.
    public static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws(AnnotationError) -> T) async throws(AnnotationError) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, AnnotationError>, Never>) in
            let job = ThreadJob { continuation.resume(returning: Result { () throws(AnnotationError) in try work() }) }
            var thread = pthread_t()
            let context = Unmanaged.passRetained(job).toOpaque()
            let started = pthread_create(&thread, nil, { context in
                Unmanaged<ThreadJob>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
            if started == 0 {
                pthread_detach(thread)
            } else {
                // No thread to be had: run here.
                Unmanaged<ThreadJob>.fromOpaque(context).takeRetainedValue().run()
            }
        }
        return try result.get()
    }

    /// Scratch bytes an annotation of `inputBytes` takes: the input and its annotated copy, which
    /// adds INFO fields to every record (up to about half again).
    static func scratchNeeded(inputBytes: Int64) -> Int64 { inputBytes + inputBytes * 3 / 2 + (1 << 20) }

    /// Free bytes on the file system of `directory`, when it can be asked.
    static func freeBytes(_ directory: String) -> Int64? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    static func megabytes(_ bytes: Int64) -> String { "\((bytes + 999_999) / 1_000_000) MB" }

    /// The size of the input; nil when it does not exist.
    private func inputSize(_ location: ObjectLocation) async throws -> Int64? {
        do {
            return try await s3.headObject(bucket: location.bucket, key: location.key).contentLength
        } catch {
            if error.isMissingObject || error.code == "NoSuchBucket" { return nil }
            throw error
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

/// Work handed to a thread of its own.
private final class ThreadJob: @unchecked Sendable {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
