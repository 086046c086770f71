import AnnotationEngine
import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// Annotates a local VCF with a local reference, as AnnotateHandler does in Lambda:
///
///     gas-annotate --refgene refGene.txt [--known known.vcf] input.vcf output.annot.vcf
///
/// Prints the count log and the throughput to standard output; exit 1 with the reason on bad input.
@main
struct GASAnnotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gas-annotate", abstract: "Annotates a local VCF with a local reference, as AnnotateHandler does in Lambda.",
        discussion: "Prints the count log and the throughput; exits 1 with the reason on bad input.")

    @Option(name: .customLong("refgene"), help: "The UCSC refGene table.") var refGene: String
    @Option(help: "A VCF of known variants whose rsIDs fill empty IDs (plain, or bgzipped with its .tbi or .csi index beside it).")
    var known: String?
    @Argument(help: "The VCF to annotate.") var input: String
    @Argument(help: "Where the annotated VCF goes.") var output: String

    func run() throws {
        do {
            let genes = try GeneTable(bytes: try Self.bytes(refGene), name: refGene)
            // A bgzipped known-variants VCF is read through its index (dbSNP-sized files); a plain one is loaded whole.
            var variants: KnownVariants?
            var indexed: IndexedKnownVariants?
            if let known, let data = try? LocalFileBytes(path: known), (try? data.read(offset: 0, count: 2)) == [0x1f, 0x8b] {
                guard let index = [".tbi", ".csi"].lazy.compactMap({ try? LocalFileBytes(path: known + $0) }).first else {
                    throw AnnotationError.io("\(known) is bgzipped but has no index beside it (\(known).tbi or .csi: tabix -p vcf, or bcftools index)")
                }
                indexed = try IndexedKnownVariants(data: data, index: index, name: known)
            } else if let known {
                variants = try KnownVariants(text: try Self.read(known), name: known)
            }
            var start = timespec()
            clock_gettime(CLOCK_MONOTONIC, &start)
            let counts = try Annotator(genes: genes, known: variants, indexedKnown: indexed).annotate(inputPath: input, outputPath: output)
            var end = timespec()
            clock_gettime(CLOCK_MONOTONIC, &end)
            let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
            print(Annotator.countLog(counts, input: input), terminator: "")
            print("seconds\t\((seconds * 1000).rounded() / 1000)\nvariants_per_second\t\(Int(Double(counts.variants) / max(seconds, 1e-9)))")
            if indexed != nil { print("known_bytes_read\t\(counts.knownBytesRead)") }
        } catch {
            Self.fail("gas-annotate: \(error)", code: 1)
        }
    }

    static func read(_ path: String) throws -> String { String(decoding: try bytes(path), as: UTF8.self) }

    /// The whole file, read in one piece of its size (no growing copies: a GENCODE table is 38 MB).
    static func bytes(_ path: String) throws -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else { throw AnnotationError.io("cannot open \(path) (errno \(errno))") }
        return try LocalFileBytes(path: path).read(offset: 0, count: Int(status.st_size))
    }

    static func fail(_ message: String, code: Int32) -> Never {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        Glibc.exit(code)
    }
}
