#if canImport(Glibc)
    import Glibc
#endif

/// Totals of one annotation run, as the count log reports them.
public struct AnnotationCounts: Sendable, Equatable {
    /// Data lines annotated.
    public var variants = 0
    /// ALT alleles per class.
    public var byClass: [String: Int] = [:]
    /// Variants per most significant region (CDS, UTR5, UTR3, intron, promoter, intergenic).
    public var byRegion: [String: Int] = [:]
    /// Variants that got an rsID from the known-variants file.
    public var knownIDs = 0
    /// Chromosomes of variants the gene table has no sequence for (reported intergenic), sorted.
    public var unknownChromosomes: [String] = []
    /// Compressed bytes of the indexed known-variants file read (0 without one).
    public var knownBytesRead = 0
}

/// Annotates a VCF 4.x file: variant class per ALT allele, overlapping genes and their region
/// from a refGene table, and rsIDs from known variants; streams line by line.
public struct Annotator: Sendable {
    static let infoHeaders = [
        "##INFO=<ID=GAS_CLASS,Number=A,Type=String,Description=\"Variant class per ALT allele after trimming shared bases: SNV, MNV, insertion, deletion, complex, symbolic; . for an allele that is not a variant\">",
        "##INFO=<ID=GAS_GENE,Number=.,Type=String,Description=\"Genes whose transcripts or 500 bp promoters the variant's affected bases touch\">",
        "##INFO=<ID=GAS_REGION,Number=.,Type=String,Description=\"Most significant region per gene over the affected bases: CDS_exon_n/N, UTR5, UTR3, ncRNA_exon, intron, promoter; or intergenic\">",
    ]
    static let infoKeys = ["GAS_CLASS", "GAS_GENE", "GAS_REGION"].map { Array($0.utf8) }

    let genes: GeneTable
    let known: KnownVariants?
    let indexedKnown: IndexedKnownVariants?

    /// An annotator over these references: known variants loaded whole (`known`, small files) or
    /// read through their index (`indexedKnown`, dbSNP-sized ones).
    public init(genes: GeneTable, known: KnownVariants?, indexedKnown: IndexedKnownVariants? = nil) {
        self.genes = genes
        self.known = known
        self.indexedKnown = indexedKnown
    }

    /// Annotates `inputPath` (plain, gzip or bgzip) into `outputPath`; throws `invalidVCF` naming the
    /// line on bad input. The output appears only when the whole file is annotated: it is written
    /// beside, as `<output>.partial`, and renamed at the end (removed on any error).
    public func annotate(inputPath: String, outputPath: String) throws(AnnotationError) -> AnnotationCounts {
        var input = stat(), existing = stat()
        if stat(inputPath, &input) == 0, stat(outputPath, &existing) == 0, input.st_dev == existing.st_dev, input.st_ino == existing.st_ino {
            throw .io("the output \(outputPath) is the input file: choose another path")
        }
        var lines = try ByteLines(path: inputPath)
        defer { lines.close() }
        let partial = outputPath + ".partial"
        var output = try ByteWriter(path: partial)
        do throws(AnnotationError) {
            let counts = try annotate(&lines, into: &output)
            try output.close()
            guard rename(partial, outputPath) == 0 else { throw .io("cannot rename \(partial) to \(outputPath) (errno \(errno))") }
            return counts
        } catch {
            output.discard()
            unlink(partial)
            throw error
        }
    }

    private func annotate(_ lines: inout ByteLines, into output: inout ByteWriter) throws(AnnotationError) -> AnnotationCounts {
        var tally = Tally()
        let cursor = try indexedKnown?.cursor()
        var scratch = Scratch()
        var tabs: [Int] = []
        tabs.reserveCapacity(8)
        var chromosome = ChromosomeCache()
        var lineNumber = 0
        var sawHeader = false
        try lines.forEach { (line) throws(AnnotationError) in
            lineNumber += 1
            if lineNumber == 1 && !line.starts(with: Array("##fileformat=VCF".utf8)) {
                throw .invalidVCF(line: 1, reason: "the first line must be ##fileformat=VCFv4.x")
            }
            if line.isEmpty { return }
            if line.first == UInt8(ascii: "#") {
                if line.starts(with: Array("#CHROM".utf8)) {
                    guard !sawHeader else { throw .invalidVCF(line: lineNumber, reason: "a second #CHROM header line") }
                    guard line.starts(with: Array("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO".utf8)) else {
                        throw .invalidVCF(line: lineNumber, reason: "the header must name CHROM POS ID REF ALT QUAL FILTER INFO, tab-separated")
                    }
                    for header in Self.infoHeaders { try output.write(header + "\n") }
                    sawHeader = true
                } else if sawHeader {
                    throw .invalidVCF(line: lineNumber, reason: "meta-information line after the #CHROM header")
                } else if Self.infoKeys.contains(where: { line.starts(with: Array("##INFO=<ID=".utf8) + $0 + [UInt8(ascii: ",")]) }) {
                    return  // an earlier annotation's header: replaced by this run's
                }
                try output.write(line)
                try output.write(CollectionOfOne(10))
                return
            }
            guard sawHeader else { throw .invalidVCF(line: lineNumber, reason: "data line before the #CHROM header") }
            try annotate(record: line, lineNumber: lineNumber, into: &output, tally: &tally, chromosome: &chromosome, tabs: &tabs, cursor: cursor, scratch: &scratch)
        }
        guard lineNumber > 0 else { throw .invalidVCF(line: 1, reason: "empty file: expected ##fileformat=VCFv4.x") }
        tally.knownBytesRead = cursor?.bytesRead ?? 0
        guard sawHeader else { throw .invalidVCF(line: lineNumber, reason: "no #CHROM header line") }
        if tally.variants > 0 && tally.located == 0 && !tally.unknown.isEmpty {
            throw .invalidVCF(
                line: lineNumber,
                reason: "none of the VCF's chromosomes (\(tally.unknown.sorted().prefix(5).joined(separator: ", "))) is in the gene table (which has \(genes.sequenceNames.prefix(5).joined(separator: ", ")), …)")
        }
        return tally.counts
    }

    /// The last chromosome's name and index: VCFs come sorted, so most lines reuse it.
    struct ChromosomeCache {
        var bytes: [UInt8] = []
        var name = ""
        var index: GeneTable.Chromosome?
        /// Whether this chromosome, missing from the table, is already counted as unknown.
        var reported = false

        mutating func update(_ chrom: ArraySlice<UInt8>, genes: GeneTable) {
            guard !chrom.elementsEqual(bytes) else { return }
            bytes = Array(chrom)
            reported = false
            name = String(decoding: chrom, as: UTF8.self)
            index = genes.chromosome(name)
        }
    }

    /// Buffers one record uses, kept from record to record (no allocation per record).
    struct Scratch {
        var classIndexes: [Int?] = []
        var spans: [(first: Int, last: Int)] = []
        var found: [GeneTable.Finding] = []
    }

    /// Per-run tallies kept in arrays indexed by class and region (no hashing per record).
    struct Tally {
        var variants = 0
        /// Variants on a chromosome the gene table has.
        var located = 0
        var unknown: Set<String> = []
        var known = 0
        var knownBytesRead = 0
        var classes = [Int](repeating: 0, count: VariantClass.allCases.count)
        var regions = [Int](repeating: 0, count: Annotator.regionKinds.count)

        var counts: AnnotationCounts {
            var counts = AnnotationCounts(variants: variants, knownIDs: known)
            for (index, kind) in VariantClass.allCases.enumerated() where classes[index] > 0 { counts.byClass[kind.rawValue] = classes[index] }
            for (index, kind) in Annotator.regionKinds.enumerated() where regions[index] > 0 { counts.byRegion[kind] = regions[index] }
            counts.unknownChromosomes = unknown.sorted()
            counts.knownBytesRead = knownBytesRead
            return counts
        }
    }

    static let regionKinds = ["CDS", "UTR5", "UTR3", "ncRNA_exon", "intron", "promoter", "intergenic"]
    static let classNames = VariantClass.allCases.map { Array($0.rawValue.utf8) }

    private func annotate(
        record line: ArraySlice<UInt8>, lineNumber: Int, into output: inout ByteWriter, tally: inout Tally, chromosome: inout ChromosomeCache,
        tabs: inout [Int], cursor: IndexedKnownVariants.Cursor?, scratch: inout Scratch
    ) throws(AnnotationError) {
        tabs.removeAll(keepingCapacity: true)
        for index in line.indices where line[index] == 9 {
            tabs.append(index)
            if tabs.count == 8 { break }
        }
        guard tabs.count >= 7 else { throw .invalidVCF(line: lineNumber, reason: "expected 8 tab-separated columns, found \(tabs.count + 1)") }
        let chrom = line[line.startIndex..<tabs[0]]
        let positionText = line[(tabs[0] + 1)..<tabs[1]]
        let id = line[(tabs[1] + 1)..<tabs[2]]
        let ref = line[(tabs[2] + 1)..<tabs[3]]
        let altField = line[(tabs[3] + 1)..<tabs[4]]
        let infoEnd = tabs.count == 8 ? tabs[7] : line.endIndex
        let info = line[(tabs[6] + 1)..<infoEnd]
        guard !chrom.isEmpty else { throw .invalidVCF(line: lineNumber, reason: "CHROM is empty") }
        guard let position = GeneTable.number(positionText) else { throw .invalidVCF(line: lineNumber, reason: "POS is not a non-negative integer") }
        guard !ref.isEmpty, ref.allSatisfy(Self.isBaseIgnoringCase) else { throw .invalidVCF(line: lineNumber, reason: "REF must be bases A, C, G, T, N") }
        chromosome.update(chrom, genes: genes)

        scratch.classIndexes.removeAll(keepingCapacity: true)
        scratch.spans.removeAll(keepingCapacity: true)
        var rsID: String?
        var end: Int??
        var alleleStart = altField.startIndex
        while alleleStart <= altField.endIndex {
            let alleleEnd = altField[alleleStart...].firstIndex(of: UInt8(ascii: ",")) ?? altField.endIndex
            let alt = altField[alleleStart..<alleleEnd]
            alleleStart = alleleEnd + 1
            if end == nil && alt.first == UInt8(ascii: "<") { end = Self.end(info: info, position: position) }
            let allele: Allele?
            do {
                allele = try Allele.read(ref: ref, alt: alt, position: position, end: end ?? nil)
            } catch {
                throw .invalidVCF(line: lineNumber, reason: "ALT allele \(String(decoding: alt.prefix(60), as: UTF8.self)) is neither bases, a symbolic allele nor a breakend")
            }
            guard let allele else {
                scratch.classIndexes.append(nil)
                continue
            }
            let index = VariantClass.allCases.firstIndex(of: allele.kind)!
            scratch.classIndexes.append(index)
            scratch.spans.append((allele.first, allele.last))
            if rsID == nil, known != nil || cursor != nil, allele.kind != .symbolic {
                let key = allele.key
                rsID = known?.id(chrom: chromosome.name, position: key.position, ref: key.ref, alt: key.alt)
                if rsID == nil, let cursor {
                    rsID = try cursor.id(chrom: chromosome.name, recordPosition: position, position: key.position, ref: key.ref, alt: key.alt)
                }
            }
        }
        // A record with no variant allele (a gVCF reference block, ALT equal to REF) is not a variant: passed on as it is.
        guard !scratch.spans.isEmpty else {
            try output.write(line[line.startIndex..<(tabs[6] + 1)])
            try Self.writeInfo(Self.withoutAnnotations(info), into: &output)
            if tabs.count == 8 { try output.write(line[tabs[7]...]) }
            try output.write(CollectionOfOne(10))
            return
        }
        for case let index? in scratch.classIndexes { tally.classes[index] += 1 }
        scratch.found.removeAll(keepingCapacity: true)
        if let index = chromosome.index {
            for span in scratch.spans where span.last >= 1 {
                // 1-based bases to the table's 0-based ones; POS 0 (a telomere) has no base of its own.
                genes.regions(on: index, from: max(1, span.first) - 1, through: span.last - 1, into: &scratch.found)
            }
            tally.located += 1
        } else if !chromosome.reported {
            tally.unknown.insert(chromosome.name)
            chromosome.reported = true
        }
        var top = GeneRegion.intergenic
        for entry in scratch.found where entry.region.rank < top.rank { top = entry.region }
        tally.variants += 1
        tally.regions[Self.regionKinds.firstIndex(of: top.kind)!] += 1
        if rsID != nil { tally.known += 1 }

        // CHROM POS as given, ID (the rsID fills an empty one), REF ALT QUAL FILTER as given.
        try output.write(line[line.startIndex...tabs[1]])
        if let rsID, id.count == 1, id.first == UInt8(ascii: ".") { try output.write(rsID.utf8) } else { try output.write(id) }
        try output.write(line[tabs[2]...tabs[6]])
        let kept = Self.withoutAnnotations(info)
        if !(kept.isEmpty || (kept.count == 1 && kept.first == UInt8(ascii: "."))) {
            try output.write(kept)
            try output.write(CollectionOfOne(UInt8(ascii: ";")))
        }
        if !scratch.classIndexes.isEmpty {
            try output.write("GAS_CLASS=".utf8)
            for (position, index) in scratch.classIndexes.enumerated() {
                if position > 0 { try output.write(CollectionOfOne(UInt8(ascii: ","))) }
                if let index { try output.write(Self.classNames[index]) } else { try output.write(CollectionOfOne(UInt8(ascii: "."))) }
            }
            try output.write(CollectionOfOne(UInt8(ascii: ";")))
        }
        if scratch.found.isEmpty {
            try output.write("GAS_REGION=intergenic".utf8)
        } else {
            try output.write("GAS_GENE=".utf8)
            for (position, entry) in scratch.found.enumerated() {
                if position > 0 { try output.write(CollectionOfOne(UInt8(ascii: ","))) }
                try output.write(genes.geneName(entry.gene).utf8)
            }
            try output.write(";GAS_REGION=".utf8)
            for (position, entry) in scratch.found.enumerated() {
                if position > 0 { try output.write(CollectionOfOne(UInt8(ascii: ","))) }
                try output.write(entry.region.description.utf8)
            }
        }
        if tabs.count == 8 { try output.write(line[tabs[7]...]) }
        try output.write(CollectionOfOne(10))
    }

    /// The count log text.
    public static func countLog(_ counts: AnnotationCounts, input: String) -> String {
        var text = "GAS annotation of \(input)\nvariants\t\(counts.variants)\nknown rsIDs\t\(counts.knownIDs)\n"
        for kind in VariantClass.allCases { text += "class \(kind.rawValue)\t\(counts.byClass[kind.rawValue] ?? 0)\n" }
        for region in regionKinds { text += "region \(region)\t\(counts.byRegion[region] ?? 0)\n" }
        if !counts.unknownChromosomes.isEmpty {
            text += "warning\tchromosomes not in the gene table (their variants are reported intergenic): \(counts.unknownChromosomes.joined(separator: ", "))\n"
        }
        return text
    }

    /// INFO without the fields an earlier GAS run added (a re-annotation replaces them).
    static func withoutAnnotations(_ info: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard info.count > 4, Self.containsGASField(info) else { return info }
        let kept = info.split(separator: UInt8(ascii: ";")).filter { field in
            !infoKeys.contains { field.starts(with: $0 + [UInt8(ascii: "=")]) || field.elementsEqual($0) }
        }
        guard !kept.isEmpty else { return ArraySlice(Array(".".utf8)) }
        return ArraySlice(Array(kept.joined(separator: [UInt8(ascii: ";")])))
    }

    /// Whether INFO holds a field starting `GAS_` (a byte scan: this runs for every record).
    static func containsGASField(_ info: ArraySlice<UInt8>) -> Bool {
        var index = info.startIndex
        while index + 4 <= info.endIndex {
            if info[index] == UInt8(ascii: "G"), info[index + 1] == UInt8(ascii: "A"), info[index + 2] == UInt8(ascii: "S"), info[index + 3] == UInt8(ascii: "_"),
                index == info.startIndex || info[index - 1] == UInt8(ascii: ";")
            {
                return true
            }
            index += 1
        }
        return false
    }

    static func writeInfo(_ info: ArraySlice<UInt8>, into output: inout ByteWriter) throws(AnnotationError) {
        try output.write(info.isEmpty ? ArraySlice(Array(".".utf8)) : info)
    }

    /// A symbolic allele's last base: INFO's END, else POS + |SVLEN|; nil when neither is given.
    static func end(info: ArraySlice<UInt8>, position: Int) -> Int? {
        var end: Int?, length: Int?
        for field in info.split(separator: UInt8(ascii: ";")) {
            if field.starts(with: Array("END=".utf8)) { end = GeneTable.number(field.dropFirst(4)) }
            if field.starts(with: Array("SVLEN=".utf8)) {
                let value = field.dropFirst(6).prefix { $0 != UInt8(ascii: ",") }
                length = GeneTable.number(value.first == UInt8(ascii: "-") ? value.dropFirst() : value)
            }
        }
        return end ?? length.map { position + $0 }
    }

    static func isBaseIgnoringCase(_ byte: UInt8) -> Bool { isBase(byte & ~0x20) }

    static func isBase(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "A") || byte == UInt8(ascii: "C") || byte == UInt8(ascii: "G") || byte == UInt8(ascii: "T") || byte == UInt8(ascii: "N")
    }

    static func uppercased(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        guard bytes.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return Array(bytes) }
        return bytes.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }
    }
}
