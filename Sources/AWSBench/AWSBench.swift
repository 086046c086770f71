import ArgumentParser
import AWSCore
import AWSDynamoDB
import AWSGlacier
import AWSS3
import AWSSigV4
import FoundationEssentials
import HTTPTransport
import AnnotationEngine
import WorkflowsAWS
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Benchmarks of the AWS client layer; `bench/aws/run.sh` runs them beside their references.
///
///     aws-bench treehash MIB          tree hash throughput over MIB MiB in memory
///     aws-bench sign N                SigV4 signing cost per request
///     aws-bench requests URL N        sequential DynamoDB GetItem calls against URL
///     aws-bench stream MIB            S3 upload and download of MIB MiB via AWS_ENDPOINT_URL, peak RSS
@main
struct AWSBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws-bench", abstract: "Benchmarks of the AWS client layer.",
        subcommands: [TreeHashRun.self, SignRun.self, RequestsRun.self, StreamRun.self, KnownRun.self])

    struct TreeHashRun: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "treehash", abstract: "Tree hash throughput over MIB MiB in memory.")
        @Argument(help: "MiB to hash.") var mebibytes: Positive
        func run() { AWSBench.treeHash(mebibytes: mebibytes.value) }
    }

    struct SignRun: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sign", abstract: "SigV4 signing cost per request.")
        @Argument(help: "Requests to sign.") var iterations: Positive
        func run() { AWSBench.sign(iterations: iterations.value) }
    }

    struct RequestsRun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "requests", abstract: "Sequential DynamoDB GetItem calls against an endpoint.")
        @Argument(help: "The DynamoDB endpoint URL.") var url: String
        @Argument(help: "Calls to make.") var count: Positive
        func run() async throws { try await AWSBench.requests(endpoint: url, count: count.value) }
    }

    struct StreamRun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stream", abstract: "S3 upload and download of MIB MiB via AWS_ENDPOINT_URL, with peak RSS.")
        @Argument(help: "MiB to stream.") var mebibytes: Positive
        func run() async throws { try await AWSBench.stream(mebibytes: mebibytes.value) }
    }

    struct KnownRun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "known",
            abstract: "Known-variant lookups through S3 ranged GETs (AWS_ENDPOINT_URL): uploads KNOWN and KNOWN.tbi, annotates INPUT with them, counts the bytes fetched.")
        @Argument(help: "The refGene table.") var refGene: String
        @Argument(help: "A bgzipped known-variants VCF with its .tbi beside it.") var known: String
        @Argument(help: "The VCF to annotate.") var input: String
        func run() async throws { try await AWSBench.known(refGene: refGene, known: known, input: input) }
    }

    /// A count above zero.
    struct Positive: ExpressibleByArgument {
        let value: Int
        init?(argument: String) {
            guard let value = Int(argument), value > 0 else { return nil }
            self.value = value
        }
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func treeHash(mebibytes: Int) {
        let chunk = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let tree = TreeHash()
        let elapsed = seconds {
            for _ in 0..<mebibytes { tree.update(chunk) }
            _ = tree.finalize()
        }
        print("swift treehash_MiB_per_s \(rounded(Double(mebibytes) / elapsed, 1))")
    }

    static func sign(iterations: Int) {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "token"),
            region: "eu-west-1", service: "dynamodb")
        let url = AWSURL(string: "https://dynamodb.eu-west-1.amazonaws.com/")!
        let body = Array(#"{"TableName":"annotations","Key":{"job_id":{"S":"0f3c"}},"ConsistentRead":true}"#.utf8)
        let headers: [(name: String, value: String)] = [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.GetItem")]
        var sink = 0
        let elapsed = seconds {
            for _ in 0..<iterations {
                sink &+= signer.sign(method: "POST", url: url, headers: headers, payload: .bytes(body), at: Date()).signature.utf8.count
            }
        }
        precondition(sink > 0)
        print("swift sign_us \(rounded(elapsed / Double(iterations) * 1e6, 2))")
    }

    static func requests(endpoint: String, count: Int) async throws {
        let environment = AWSEnvironment(variables: [
            "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "HOME": "/nonexistent",
        ])
        let db = DynamoDBClient(client: try AWSClient.fromEnvironment(environment, logger: Logger(label: "bench")))
        _ = try await db.getItem(table: "annotations", key: ["job_id": "warm"])
        let start = ContinuousClock.now
        for index in 0..<count { _ = try await db.getItem(table: "annotations", key: ["job_id": .s(String(index))], consistentRead: true) }
        let elapsed = ContinuousClock.now - start
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("swift requests_per_s \(Int(Double(count) / secondsElapsed))")
    }

    static func stream(mebibytes: Int) async throws {
        let s3 = S3Client(client: try AWSClient.fromEnvironment(logger: Logger(label: "bench")))
        let bucket = "bench-\(UInt32.random(in: .min ... .max))"
        try await s3.createBucket(bucket)
        let size = mebibytes << 20
        let before = peakResidentMiB()
        try await s3.putObject(bucket: bucket, key: "big", body: .stream(length: Int64(size), source: GeneratedSource(size: size)))
        let sink = CountingSink()
        _ = try await s3.getObject(bucket: bucket, key: "big", sink: sink)
        precondition(sink.count == size, "downloaded \(sink.count) of \(size) bytes")
        print("swift stream_MiB \(mebibytes) peak_rss_MiB \(rounded(peakResidentMiB(), 1)) before_MiB \(rounded(before, 1))")
    }

    static func known(refGene: String, known: String, input: String) async throws {
        let s3 = S3Client(client: try AWSClient.fromEnvironment(logger: Logger(label: "bench")))
        let bucket = "bench-\(UInt32.random(in: .min ... .max))"
        try await s3.createBucket(bucket)
        for (path, key) in [(known, "known.vcf.gz"), (known + ".tbi", "known.vcf.gz.tbi")] {
            let source = try FileBodySource(path: path)
            try await s3.putObject(bucket: bucket, key: key, body: source.body)
        }
        let genes = try GeneTable(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: refGene))), name: refGene)
        let before = peakResidentMiB()
        let start = Date()
        let data = S3RangedBytes(s3: s3, bucket: bucket, key: "known.vcf.gz")
        let index = try await s3.getObject(bucket: bucket, key: "known.vcf.gz.tbi").body
        let annotator = Annotator(genes: genes, known: nil, indexedKnown: try IndexedKnownVariants(data: data, index: MemoryBytes(index), name: known))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bench-known-\(bucket).vcf").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let counts = try await EngineAnnotationRunner.onOwnThread { () throws(AnnotationError) in try annotator.annotate(inputPath: input, outputPath: output) }
        var status = stat()
        let size = stat(known, &status) == 0 ? Int(status.st_size) : 0
        print(
            "swift s3_known_seconds \(rounded(Date().timeIntervalSince(start), 3)) variants \(counts.variants) rsids \(counts.knownIDs) "
                + "bytes_fetched \(data.fetched.bytes) gets \(data.fetched.requests) index_bytes \(index.count) file_bytes \(size) "
                + "peak_rss_MiB \(rounded(peakResidentMiB(), 1)) before_MiB \(rounded(before, 1))")
    }

    static func rounded(_ value: Double, _ places: Int) -> Double {
        let scale = (0..<places).reduce(1.0) { value, _ in value * 10 }
        return (value * scale).rounded() / scale
    }

    static func peakResidentMiB() -> Double {
        guard let status = try? Data(contentsOf: URL(fileURLWithPath: "/proc/self/status")) else { return 0 }
        let line = String(decoding: status, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let kibibytes = line?.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
        return kibibytes / 1024
    }
}

/// Bytes made on the fly for the streaming benchmark.
final class GeneratedSource: HTTPBodySource, @unchecked Sendable {
    let size: Int
    var offset = 0
    init(size: Int) { self.size = size }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, size - offset)
        for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: offset + index) }
        offset += count
        return count
    }
    func rewind() -> Bool {
        offset = 0
        return true
    }
}

/// Counts what the download delivers.
final class CountingSink: HTTPBodySink, @unchecked Sendable {
    var count = 0
    func write(_ bytes: UnsafeRawBufferPointer) throws { count += bytes.count }
    func reset() throws { count = 0 }
}
