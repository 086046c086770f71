@testable import AnnotationEngine
import Foundation
import Testing

/// The README's annotation rules, each on a small real-shaped fixture (genePred with its bin
/// column, 0-based half-open coordinates; VCF positions 1-based).
@Suite struct AnnotationRulesTests {
    /// GENEA (+): two coding isoforms that number their exons differently (NM_A1, the longest
    /// coding one, has 3 exons; NM_A2 has an extra exon 2) and a non-coding isoform (NR_A3) inside
    /// their intron. GENED (−) is non-coding only. GENEM sits on the mitochondrion as `chrM`.
    static let table = [
        "585\tNM_A1\tchr1\t+\t1000\t5000\t1200\t4500\t3\t1000,2000,4000,\t1500,2500,5000,\t0\tGENEA\tcmpl\tcmpl\t0,0,0,",
        "585\tNM_A2\tchr1\t+\t1000\t5000\t1200\t4200\t4\t1000,1700,2000,4000,\t1500,1800,2500,5000,\t0\tGENEA\tcmpl\tcmpl\t0,0,0,0,",
        "585\tNR_A3\tchr1\t+\t3000\t3600\t3600\t3600\t2\t3000,3500,\t3100,3600,\t0\tGENEA\tunk\tunk\t-1,-1,",
        "585\tNR_D1\tchr1\t-\t6000\t7000\t7000\t7000\t2\t6000,6800,\t6200,7000,\t0\tGENED\tunk\tunk\t-1,-1,",
        "585\tNM_M1\tchrM\t+\t100\t500\t100\t500\t1\t100,\t500,\t0\tGENEM\tcmpl\tcmpl\t0,",
    ].joined(separator: "\n") + "\n"
    static let known = [
        "##fileformat=VCFv4.2", "#CHROM\tPOS\tID\tREF\tALT",
        "1\t1995\trs777\tacccccccccccg\tag",  // the deletion below, with an extra shared base and lower case
        "chr1\t2101\trs1\tA\tG", "chr1\t2101\trs2\tA\tG",  // one allele listed twice: the first wins
    ].joined(separator: "\n") + "\n"
    static let header = "##fileformat=VCFv4.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"

    private func annotate(_ records: [String], known: Bool = true) throws -> (AnnotationCounts, [String: String], String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gas-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.vcf").path, output = folder.appendingPathComponent("out.vcf").path
        try (Self.header + records.map { $0 + "\n" }.joined()).write(toFile: input, atomically: true, encoding: .utf8)
        let annotator = Annotator(genes: try GeneTable(text: Self.table), known: known ? try KnownVariants(text: Self.known) : nil)
        let counts = try annotator.annotate(inputPath: input, outputPath: output)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        var info: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            info["\(fields[0]):\(fields[1])"] = fields[7] + (fields[2] == "." ? "" : " \(fields[2])")
        }
        return (counts, info, text)
    }

    @Test func isoformsAndNonCodingTranscripts() throws {
        let (counts, info, _) = try annotate([
            "chr1\t2101\t.\tA\tG\t.\t.\t.",  // exon 2 of NM_A1 (3 exons), exon 3 of NM_A2: the longest coding isoform's numbering
            "chr1\t1751\t.\tA\tG\t.\t.\t.",  // only NM_A2 has an exon here: coding beats NM_A1's intron
            "chr1\t3051\t.\tA\tG\t.\t.\t.",  // NR_A3's exon, inside the coding isoforms' intron
            "chr1\t3301\t.\tA\tG\t.\t.\t.",  // NR_A3's intron: an intron
            "chr1\t6101\t.\tA\tG\t.\t.\t.",  // GENED has no coding isoform: never UTR
            "chr1\t6501\t.\tA\tG\t.\t.\t.",
            "chr1\t7201\t.\tA\tG\t.\t.\t.",  // upstream of GENED on the minus strand
        ])
        #expect(info["chr1:2101"] == "GAS_CLASS=SNV;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/3 rs1")
        #expect(info["chr1:1751"] == "GAS_CLASS=SNV;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/4")
        #expect(info["chr1:3051"] == "GAS_CLASS=SNV;GAS_GENE=GENEA;GAS_REGION=ncRNA_exon")
        #expect(info["chr1:3301"] == "GAS_CLASS=SNV;GAS_GENE=GENEA;GAS_REGION=intron")
        #expect(info["chr1:6101"] == "GAS_CLASS=SNV;GAS_GENE=GENED;GAS_REGION=ncRNA_exon")
        #expect(info["chr1:6501"] == "GAS_CLASS=SNV;GAS_GENE=GENED;GAS_REGION=intron")
        #expect(info["chr1:7201"] == "GAS_CLASS=SNV;GAS_GENE=GENED;GAS_REGION=promoter")
        #expect(counts.byRegion == ["CDS": 2, "ncRNA_exon": 2, "intron": 2, "promoter": 1])
    }

    @Test func aVariantCoversItsAffectedBasesNotItsAnchor() throws {
        let (_, info, _) = try annotate([
            "chr1\t1995\t.\tACCCCCCCCCCC\tA\t.\t.\t.",  // deletes 1996-2006: from the intron into coding exon 2
            "chr1\t5000\t.\tAC\tA\t.\t.\t.",  // the anchor is GENEA's last base; the deleted base is past it
            "chr1\t2500\t.\tA\tAT\t.\t.\t.",  // an insertion between exon 2's last base and the intron
            "chr1\t4900\t.\tA\t<DEL>\t.\t.\tSVTYPE=DEL;END=6100",  // through GENEA's UTR3 into GENED's exon
            "chr1\t3000\t.\tA\t<DEL>\t.\t.\tSVTYPE=DEL;SVLEN=-100",  // END from SVLEN: 3001-3100, NR_A3's first exon
        ])
        #expect(info["chr1:1995"] == "GAS_CLASS=deletion;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/3 rs777")
        #expect(info["chr1:5000"] == "GAS_CLASS=deletion;GAS_REGION=intergenic")
        #expect(info["chr1:2500"] == "GAS_CLASS=insertion;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/3")
        #expect(info["chr1:4900"] == "SVTYPE=DEL;END=6100;GAS_CLASS=symbolic;GAS_GENE=GENEA,GENED;GAS_REGION=UTR3,ncRNA_exon")
        #expect(info["chr1:3000"] == "SVTYPE=DEL;SVLEN=-100;GAS_CLASS=symbolic;GAS_GENE=GENEA;GAS_REGION=ncRNA_exon")
    }

    @Test func alleleClassesAndNonVariants() throws {
        let (counts, info, _) = try annotate([
            "chr1\t100\t.\tA\t<NON_REF>\t.\t.\tEND=150",  // a gVCF reference block: not a variant
            "chr1\t2303\t.\tA\tA\t.\t.\t.",  // ALT equal to REF
            "chr1\t2301\t.\tA\tG,<NON_REF>\t.\t.\t.",
            "chr1\t2302\t.\tA\t*,G\t.\t.\t.",
            "chr1\t2310\t.\tATG\tACG\t.\t.\t.",  // a padded SNV
            "chr1\t2320\t.\tATGC\tACCC\t.\t.\t.",  // a padded MNV
            "chr1\t2330\t.\tAT\tGCC\t.\t.\t.",  // different lengths, not a pure insertion or deletion
            "chr1\t2201\t.\tG\tG[chr2:500[\t.\t.\tSVTYPE=BND",
            "chr1\t2202\t.\tG\tG.\t.\t.\tSVTYPE=BND",  // a single breakend
            "chr1\t0\t.\tN\t.N\t.\t.\tSVTYPE=BND",  // at the telomere (POS 0): no base of its own
        ])
        #expect(info["chr1:100"] == "END=150")
        #expect(info["chr1:2303"] == ".")
        #expect(info["chr1:2301"] == "GAS_CLASS=SNV,.;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/3")
        #expect(info["chr1:2302"] == "GAS_CLASS=.,SNV;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/3")
        #expect(info["chr1:2310"]?.hasPrefix("GAS_CLASS=SNV;") == true)
        #expect(info["chr1:2320"]?.hasPrefix("GAS_CLASS=MNV;") == true)
        #expect(info["chr1:2330"]?.hasPrefix("GAS_CLASS=complex;") == true)
        #expect(info["chr1:2201"] == "SVTYPE=BND;GAS_CLASS=symbolic;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/3")
        #expect(info["chr1:2202"]?.hasPrefix("SVTYPE=BND;GAS_CLASS=symbolic;") == true)
        #expect(info["chr1:0"] == "SVTYPE=BND;GAS_CLASS=symbolic;GAS_REGION=intergenic")
        #expect(counts.variants == 8)
        #expect(counts.byClass == ["SNV": 3, "MNV": 1, "complex": 1, "symbolic": 3])
    }

    @Test func chromosomeNamesAreAliases() throws {
        let (counts, info, _) = try annotate(["1\t2101\t.\tA\tG\t.\t.\t.", "MT\t201\t.\tA\tG\t.\t.\t.", "chrUn_gl000220\t5\t.\tA\tG\t.\t.\t."])
        #expect(info["1:2101"] == "GAS_CLASS=SNV;GAS_GENE=GENEA;GAS_REGION=CDS_exon_2/3 rs1")
        #expect(info["MT:201"] == "GAS_CLASS=SNV;GAS_GENE=GENEM;GAS_REGION=CDS_exon_1/1")
        #expect(counts.unknownChromosomes == ["chrUn_gl000220"])
        #expect(Annotator.countLog(counts, input: "in.vcf").contains("warning\tchromosomes not in the gene table (their variants are reported intergenic): chrUn_gl000220\n"))
        #expect(throws: AnnotationError.self) { try annotate(["chr22\t5\t.\tA\tG\t.\t.\t.", "22\t9\t.\tA\tG\t.\t.\t."]) }
        do {
            _ = try annotate(["chr22\t5\t.\tA\tG\t.\t.\t."])
        } catch {
            #expect("\(error)".contains("none of the VCF's chromosomes (chr22) is in the gene table (which has 1, MT, …)"))
        }
    }

    @Test func reannotationReplacesInsteadOfAppending() throws {
        let (_, _, once) = try annotate(["chr1\t2101\t.\tA\tG\t.\t.\tDP=3"], known: false)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gas-again-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try once.write(to: folder.appendingPathComponent("once.vcf"), atomically: true, encoding: .utf8)
        _ = try Annotator(genes: try GeneTable(text: Self.table), known: nil).annotate(
            inputPath: folder.appendingPathComponent("once.vcf").path, outputPath: folder.appendingPathComponent("twice.vcf").path)
        #expect(try String(contentsOf: folder.appendingPathComponent("twice.vcf"), encoding: .utf8) == once)
        #expect(once.components(separatedBy: "##INFO=<ID=GAS_CLASS").count == 2)
    }

    @Test func emptyInputsAndDuplicateHeadersAreErrors() throws {
        #expect(throws: AnnotationError.invalidReference(file: "refGene", line: 0, reason: "no transcripts: the gene table is empty")) { try GeneTable(text: "") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gas-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let annotator = Annotator(genes: try GeneTable(text: Self.table), known: nil)
        for (text, expected) in [
            ("", AnnotationError.invalidVCF(line: 1, reason: "empty file: expected ##fileformat=VCFv4.x")),
            (Self.header + Self.header.split(separator: "\n")[1] + "\n", .invalidVCF(line: 3, reason: "a second #CHROM header line")),
        ] {
            let input = folder.appendingPathComponent("in.vcf").path
            try text.write(toFile: input, atomically: true, encoding: .utf8)
            #expect(throws: expected) { try annotator.annotate(inputPath: input, outputPath: folder.appendingPathComponent("out.vcf").path) }
        }
    }
}
