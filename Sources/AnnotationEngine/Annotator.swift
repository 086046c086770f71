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
}

/// Annotates a VCF 4.x file: variant class per ALT allele, overlapping genes and their region
/// from a refGene table, and rsIDs from known variants; streams line by line.
public struct Annotator: Sendable {
    static let infoHeaders = [
        "##INFO=<ID=GAS_CLASS,Number=A,Type=String,Description=\"Variant class per ALT allele: SNV, MNV, insertion, deletion, symbolic\">",
        "##INFO=<ID=GAS_GENE,Number=.,Type=String,Description=\"Genes overlapping the variant or within 500 bp upstream\">",
        "##INFO=<ID=GAS_REGION,Number=.,Type=String,Description=\"Region per gene: CDS_exon_n/N, UTR5, UTR3, intron, promoter; or intergenic\">",
    ]

    let genes: GeneTable
    let known: KnownVariants?

    /// An annotator over these references.
    public init(genes: GeneTable, known: KnownVariants?) {
        self.genes = genes
        self.known = known
    }

    /// Annotates `inputPath` into `outputPath`; throws `invalidVCF` naming the line on bad input.
    public func annotate(inputPath: String, outputPath: String) throws(AnnotationError) -> AnnotationCounts {
        var lines = try ByteLines(path: inputPath)
        defer { lines.close() }
        var output = try ByteWriter(path: outputPath)
        var counts = AnnotationCounts()
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
                    guard line.starts(with: Array("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO".utf8)) else {
                        throw .invalidVCF(line: lineNumber, reason: "the header must name CHROM POS ID REF ALT QUAL FILTER INFO, tab-separated")
                    }
                    for header in Self.infoHeaders { try output.write(header + "\n") }
                    sawHeader = true
                } else if sawHeader {
                    throw .invalidVCF(line: lineNumber, reason: "meta-information line after the #CHROM header")
                }
                try output.write(line)
                try output.write(CollectionOfOne(10))
                return
            }
            guard sawHeader else { throw .invalidVCF(line: lineNumber, reason: "data line before the #CHROM header") }
            try annotate(record: line, lineNumber: lineNumber, into: &output, counts: &counts, chromosome: &chromosome)
        }
        guard sawHeader else { throw .invalidVCF(line: lineNumber, reason: "no #CHROM header line") }
        try output.close()
        return counts
    }

    /// The last chromosome's name and index: VCFs come sorted, so most lines reuse it.
    struct ChromosomeCache {
        var bytes: [UInt8] = []
        var name = ""
        var index: GeneTable.Chromosome?

        mutating func update(_ chrom: ArraySlice<UInt8>, genes: GeneTable) {
            guard !chrom.elementsEqual(bytes) else { return }
            bytes = Array(chrom)
            name = String(decoding: chrom, as: UTF8.self)
            index = genes.chromosome(name)
        }
    }

    private func annotate(
        record line: ArraySlice<UInt8>, lineNumber: Int, into output: inout ByteWriter, counts: inout AnnotationCounts,
        chromosome: inout ChromosomeCache
    ) throws(AnnotationError) {
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(9)
        var start = line.startIndex
        for index in line.indices where line[index] == 9 {
            fields.append(line[start..<index])
            start = index + 1
            if fields.count == 8 { break }
        }
        let rest = line[start...]
        if fields.count < 8 { fields.append(rest) }
        guard fields.count >= 8 else { throw .invalidVCF(line: lineNumber, reason: "expected 8 tab-separated columns, found \(fields.count)") }
        let (chrom, positionText, id, refField, altField) = (fields[0], fields[1], fields[2], fields[3], fields[4])
        guard !chrom.isEmpty else { throw .invalidVCF(line: lineNumber, reason: "CHROM is empty") }
        guard let position = Self.integer(positionText) else { throw .invalidVCF(line: lineNumber, reason: "POS is not a non-negative integer") }
        let ref = Self.uppercased(refField)
        guard !ref.isEmpty, ref.allSatisfy(Self.isBase) else { throw .invalidVCF(line: lineNumber, reason: "REF must be bases A, C, G, T, N") }
        let alts = altField.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        var classes: [String] = []
        var rsID: String?
        chromosome.update(chrom, genes: genes)
        let chromName = chromosome.name
        for rawAlt in alts where !(rawAlt.count == 1 && rawAlt.first == UInt8(ascii: ".")) {
            let alt = Self.uppercased(rawAlt)
            let symbolic = alt.first == UInt8(ascii: "<") || alt == [UInt8(ascii: "*")] || alt.contains(UInt8(ascii: "[")) || alt.contains(UInt8(ascii: "]"))
            guard !alt.isEmpty, symbolic || alt.allSatisfy(Self.isBase) else {
                throw .invalidVCF(line: lineNumber, reason: "ALT allele \(String(decoding: rawAlt, as: UTF8.self)) is neither bases nor symbolic")
            }
            let kind = VariantClass.of(ref: ref[...], alt: alt[...])
            classes.append(kind.rawValue)
            counts.byClass[kind.rawValue, default: 0] += 1
            if rsID == nil, let known {
                rsID = known.id(
                    chrom: chromName, position: String(decoding: positionText, as: UTF8.self), ref: String(decoding: ref, as: UTF8.self),
                    alt: String(decoding: alt, as: UTF8.self))
            }
        }
        let found = chromosome.index.map { genes.regions(on: $0, position: max(0, position - 1)) } ?? []
        let top = found.map(\.region).min() ?? .intergenic
        counts.variants += 1
        counts.byRegion[top.kind, default: 0] += 1
        if rsID != nil { counts.knownIDs += 1 }

        var info = ""
        if !classes.isEmpty { info += "GAS_CLASS=" + classes.joined(separator: ",") + ";" }
        if found.isEmpty {
            info += "GAS_REGION=intergenic"
        } else {
            info += "GAS_GENE=" + found.map(\.gene).joined(separator: ",") + ";GAS_REGION=" + found.map { $0.region.description }.joined(separator: ",")
        }
        try output.write(chrom)
        try output.write(CollectionOfOne(9))
        try output.write(positionText)
        try output.write(CollectionOfOne(9))
        if let rsID, id.count == 1, id.first == UInt8(ascii: ".") { try output.write(rsID) } else { try output.write(id) }
        for field in fields[3...6] {
            try output.write(CollectionOfOne(9))
            try output.write(field)
        }
        try output.write(CollectionOfOne(9))
        let existing = fields[7]
        if existing.isEmpty || (existing.count == 1 && existing.first == UInt8(ascii: ".")) {
            try output.write(info)
        } else {
            try output.write(existing)
            try output.write(";" + info)
        }
        if fields.count == 8 && rest.startIndex > fields[7].endIndex {
            try output.write(CollectionOfOne(9))
            try output.write(rest)
        }
        try output.write(CollectionOfOne(10))
    }

    /// The count log text.
    public static func countLog(_ counts: AnnotationCounts, input: String) -> String {
        var text = "GAS annotation of \(input)\nvariants\t\(counts.variants)\nknown rsIDs\t\(counts.knownIDs)\n"
        for kind in VariantClass.allCases { text += "class \(kind.rawValue)\t\(counts.byClass[kind.rawValue] ?? 0)\n" }
        for region in ["CDS", "UTR5", "UTR3", "intron", "promoter", "intergenic"] { text += "region \(region)\t\(counts.byRegion[region] ?? 0)\n" }
        return text
    }

    static func isBase(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "A") || byte == UInt8(ascii: "C") || byte == UInt8(ascii: "G") || byte == UInt8(ascii: "T") || byte == UInt8(ascii: "N")
    }

    static func uppercased(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        guard bytes.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return Array(bytes) }
        return bytes.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }
    }

    static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count < 19 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
