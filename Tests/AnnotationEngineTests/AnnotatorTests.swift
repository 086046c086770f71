@testable import AnnotationEngine
import Foundation
import Testing

@Suite struct AnnotatorTests {
    /// The shipped sample reference and VCFs (`samples/` at the package root).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples")

    private func annotator() throws -> Annotator {
        let genes = try GeneTable(text: String(contentsOf: Self.fixtures.appendingPathComponent("refGene.txt"), encoding: .utf8))
        let known = try KnownVariants(text: String(contentsOf: Self.fixtures.appendingPathComponent("known_variants.vcf"), encoding: .utf8))
        return Annotator(genes: genes, known: known)
    }

    private func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gas-\(UUID().uuidString)-\(name)").path
    }

    private func annotate(_ vcf: String) throws -> (AnnotationCounts, [String]) {
        let input = temporary("in.vcf")
        let output = temporary("out.vcf")
        try vcf.write(toFile: input, atomically: true, encoding: .utf8)
        let counts = try annotator().annotate(inputPath: input, outputPath: output)
        return (counts, try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init))
    }

    @Test func annotatesTheSampleWithClassGeneRegionAndRsID() throws {
        let sample = try String(contentsOf: Self.fixtures.appendingPathComponent("sample.vcf"), encoding: .utf8)
        let (counts, lines) = try annotate(sample)
        let records = lines.filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t").map(String.init) }
        #expect(records.count == 12)
        func info(_ position: String) -> String { records.first { $0[1] == position }?[7] ?? "" }
        #expect(info("701") == "DP=10;GAS_CLASS=SNV;GAS_GENE=GENEA;GAS_REGION=promoter")
        #expect(info("1001") == "GAS_CLASS=SNV;GAS_GENE=GENEA;GAS_REGION=UTR5")
        #expect(info("1301") == "DP=3;GAS_CLASS=SNV;GAS_GENE=GENEA;GAS_REGION=CDS_exon_1/3")
        #expect(info("1801") == "GAS_CLASS=MNV;GAS_GENE=GENEA;GAS_REGION=intron")
        #expect(info("2101") == "GAS_CLASS=deletion;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/3")
        #expect(info("4801") == "GAS_CLASS=SNV,symbolic;GAS_GENE=GENEA;GAS_REGION=UTR3")
        #expect(info("7001") == "GAS_CLASS=SNV;GAS_REGION=intergenic")
        #expect(info("10101") == "GAS_CLASS=SNV;GAS_GENE=GENEB;GAS_REGION=UTR3")
        #expect(info("10301") == "GAS_CLASS=SNV;GAS_GENE=GENEB;GAS_REGION=CDS_exon_2/2")
        #expect(info("11901") == "GAS_CLASS=SNV;GAS_GENE=GENEB;GAS_REGION=UTR5")
        #expect(info("12201") == "GAS_CLASS=SNV;GAS_GENE=GENEB;GAS_REGION=promoter")
        #expect(info("150") == "GAS_CLASS=insertion;GAS_GENE=GENEC;GAS_REGION=CDS_exon_1/1")
        // rsIDs fill empty IDs only, matched case-insensitively on the allele; sample columns stay.
        #expect(records.first { $0[1] == "1301" }?[2] == "rs100")
        #expect(records.first { $0[1] == "2101" }?[2] == "rs200")
        #expect(records.first { $0[1] == "7001" }?[2] == "rs9")
        #expect(records.first { $0[1] == "1301" }?[8...] == ["GT", "1/1"])
        #expect(lines.filter { $0.hasPrefix("##INFO=<ID=GAS_") }.count == 3)
        #expect(counts.variants == 12)
        #expect(counts.knownIDs == 3)
        #expect(counts.byClass == ["SNV": 9, "MNV": 1, "deletion": 1, "insertion": 1, "symbolic": 1])
        #expect(counts.byRegion == ["promoter": 2, "UTR5": 2, "CDS": 4, "intron": 1, "UTR3": 2, "intergenic": 1])
        let log = Annotator.countLog(counts, input: "sample.vcf")
        #expect(log.contains("variants\t12\n"))
        #expect(log.contains("region CDS\t4\n"))
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        let vcf: String
        let line: Int
        let reason: String
        var testDescription: String { reason }
    }

    static let header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    static let bad: [BadCase] = [
        BadCase(vcf: "#CHROM\tPOS\n", line: 1, reason: "first line"),
        BadCase(vcf: "##fileformat=VCFv4.2\nchr1\t1\t.\tA\tG\t.\t.\t.\n", line: 2, reason: "before the #CHROM"),
        BadCase(vcf: header + "chr1\t1\t.\tA\tG\n", line: 3, reason: "8 tab-separated columns"),
        BadCase(vcf: header + "chr1\tx\t.\tA\tG\t.\t.\t.\n", line: 3, reason: "POS"),
        BadCase(vcf: header + "chr1\t5\t.\tAZ\tG\t.\t.\t.\n", line: 3, reason: "REF"),
        BadCase(vcf: header + "chr1\t5\t.\tA\tG!\t.\t.\t.\n", line: 3, reason: "ALT allele G!"),
        BadCase(vcf: "##fileformat=VCFv4.2\n#CHROM POS ID\n", line: 2, reason: "tab-separated"),
        BadCase(vcf: "##fileformat=VCFv4.2\n##x=1\n", line: 2, reason: "no #CHROM header"),
    ]

    @Test(arguments: bad)
    func malformedInputNamesTheLineAndTheProblem(_ bad: BadCase) {
        do {
            _ = try annotate(bad.vcf)
            Issue.record("accepted a bad VCF")
        } catch let error as AnnotationError {
            guard case .invalidVCF(let line, let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(line == bad.line)
            #expect(reason.contains(bad.reason) || error.description.contains(bad.reason), "\(reason)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func malformedReferencesAreRejected() {
        #expect(throws: AnnotationError.self) { try GeneTable(text: "585\tNM\tchr1\t+\t1\t2\t1\t2\t2\t1,\t2,\t0\tG\tc\tc\t0,\n") }
        #expect(throws: AnnotationError.self) { try KnownVariants(text: "chr1\tnotapos\trs1\tA\tG\n") }
    }

    @Test func streamsAMillionVariants() throws {
        let input = temporary("million.vcf")
        let output = temporary("million.annot.vcf")
        var text = Self.header
        text.reserveCapacity(40_000_000)
        for index in 0..<1_000_000 {
            let position = 1 + (index * 37) % 20_000
            let alt = index % 3 == 0 ? "GT" : "G"
            text += "chr1\t\(position)\t.\tA\t\(alt)\t50\tPASS\t.\n"
        }
        try text.write(toFile: input, atomically: false, encoding: .utf8)
        let counts = try annotator().annotate(inputPath: input, outputPath: output)
        #expect(counts.variants == 1_000_000)
        #expect(counts.byClass["complex"] == 333_334, "A to GT shares no base: a delins, not an insertion")
        #expect(counts.byClass["SNV"] == 666_666)
        #expect(counts.byRegion.values.reduce(0, +) == 1_000_000)
        let size = try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int ?? 0
        #expect(size > 40_000_000)
        try? FileManager.default.removeItem(atPath: input)
        try? FileManager.default.removeItem(atPath: output)
    }
}
