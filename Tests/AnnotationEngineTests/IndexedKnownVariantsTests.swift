@testable import AnnotationEngine
import Foundation
import Testing

/// Known variants through a tabix or CSI index, cross-checked against `bcftools annotate -c ID` on
/// the same bgzipped file (Debian's tabix and bcftools, installed by scripts/setup.sh).
@Suite struct IndexedKnownVariantsTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gas-indexed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String], output: String? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        if let output {
            FileManager.default.createFile(atPath: output, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        }
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A dbSNP-shaped file: SNVs and indels (VCF-padded) on two chromosomes, one allele per line,
    /// positions 1 to 40 bp apart (deterministic), with a region far from the rest.
    private func knownVCF() -> (text: String, records: [(chrom: String, pos: Int, ref: String, alt: String, id: String)]) {
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((random >> 33) % UInt64(bound))
        }
        let bases = ["A", "C", "G", "T"]
        var records: [(String, Int, String, String, String)] = []
        for chrom in ["chr1", "chr2"] {
            var position = 10_000
            for index in 0..<60_000 {
                position += 1 + next(40)
                if index == 30_000 { position += 5_000_000 }
                let ref = bases[next(4)]
                let alt: String
                let kind = next(10)
                if kind < 7 { alt = bases[(bases.firstIndex(of: ref)! + 1 + next(3)) % 4] }
                else if kind < 9 { alt = ref + bases[next(4)] + bases[next(4)] }
                else { alt = String(ref.prefix(1)) }
                let fullRef = kind == 9 ? ref + bases[next(4)] : ref
                records.append((chrom, position, fullRef, alt, "rs\(records.count + 1)"))
            }
        }
        let header = "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n##contig=<ID=chr2>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        return (header + records.map { "\($0.0)\t\($0.1)\t\($0.4)\t\($0.2)\t\($0.3)\t.\t.\t.\n" }.joined(), records)
    }

    @Test(arguments: ["tbi", "csi"])
    func lookupsThroughTheIndexMatchBcftoolsAnnotate(_ kind: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let known = knownVCF()
        try known.text.write(toFile: path("known.vcf"), atomically: true, encoding: .utf8)
        #expect(try run("bgzip", ["-f", path("known.vcf")]) == 0)
        #expect(try run(kind == "tbi" ? "tabix" : "bcftools", kind == "tbi" ? ["-p", "vcf", path("known.vcf.gz")] : ["index", "-c", path("known.vcf.gz")]) == 0)
        // The input: every 7th known allele as it is listed, others changed so they match nothing.
        var input = "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n##contig=<ID=chr2>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        for (index, record) in known.records.enumerated() where index % 7 == 0 || index % 11 == 0 {
            let alt = index % 7 == 0 ? record.alt : record.alt + "T"
            input += "\(record.chrom)\t\(record.pos)\t.\t\(record.ref)\t\(alt)\t.\t.\t.\n"
        }
        try input.write(toFile: path("input.vcf"), atomically: true, encoding: .utf8)
        // bcftools reads its input bgzipped and indexed; GAS reads the same bgzipped file.
        #expect(try run("bgzip", ["-f", path("input.vcf")]) == 0)
        #expect(try run("tabix", ["-p", "vcf", path("input.vcf.gz")]) == 0)
        #expect(try run("bcftools", ["annotate", "-a", path("known.vcf.gz"), "-c", "ID", "-o", path("bcftools.vcf"), path("input.vcf.gz")]) == 0)

        let indexed = try IndexedKnownVariants(
            data: try LocalFileBytes(path: path("known.vcf.gz")), index: try LocalFileBytes(path: path("known.vcf.gz.\(kind)")), name: "known.vcf.gz")
        let genes = try GeneTable(text: AnnotationRulesTests.table)
        let counts = try Annotator(genes: genes, known: nil, indexedKnown: indexed).annotate(inputPath: path("input.vcf.gz"), outputPath: path("gas.vcf"))
        func ids(_ file: String) throws -> [String] {
            try String(contentsOfFile: path(file), encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.split(separator: "\t")[2]) }
        }
        let ours = try ids("gas.vcf"), theirs = try ids("bcftools.vcf")
        #expect(ours.count == theirs.count && ours.count > 25_000)
        #expect(ours == theirs, "first difference at record \(ours.indices.first { $0 < theirs.count && ours[$0] != theirs[$0] } ?? -1)")
        #expect(counts.knownIDs == theirs.filter { $0 != "." }.count && counts.knownIDs > 15_000)
    }

    @Test func unsortedInputAndChromosomeAliasesAreHandled() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let known = knownVCF()
        try known.text.write(toFile: path("known.vcf"), atomically: true, encoding: .utf8)
        #expect(try run("bgzip", ["-f", path("known.vcf")]) == 0)
        #expect(try run("tabix", ["-p", "vcf", path("known.vcf.gz")]) == 0)
        let picks = [59_000, 10, 70_000, 30_001, 5, 119_999].map { known.records[$0] }
        var input = AnnotationRulesTests.header
        for record in picks { input += "\(record.chrom.dropFirst(3))\t\(record.pos)\t.\t\(record.ref.lowercased())\t\(record.alt)\t.\t.\t.\n" }
        try input.write(toFile: path("input.vcf"), atomically: true, encoding: .utf8)
        let indexed = try IndexedKnownVariants(
            data: try LocalFileBytes(path: path("known.vcf.gz")), index: try LocalFileBytes(path: path("known.vcf.gz.tbi")), name: "known.vcf.gz")
        let counts = try Annotator(genes: try GeneTable(text: AnnotationRulesTests.table), known: nil, indexedKnown: indexed)
            .annotate(inputPath: path("input.vcf"), outputPath: path("out.vcf"))
        // Six lookups read a few blocks, not the file.
        let size = try FileManager.default.attributesOfItem(atPath: path("known.vcf.gz"))[.size] as? Int ?? 0
        #expect(counts.knownBytesRead > 0 && counts.knownBytesRead < size / 4, "\(counts.knownBytesRead) of \(size) bytes")
        let ids = try String(contentsOfFile: path("out.vcf"), encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.split(separator: "\t")[2]) }
        #expect(ids == picks.map(\.id))
    }
}
