/// Transcripts from a UCSC refGene (genePred, with or without the leading `bin` column) table,
/// indexed for lookups by chromosome (`1`, `chr1`; `MT`, `chrM`, `M` name the same sequence) and
/// 64 KiB bucket.
public final class GeneTable: Sendable {
    struct Transcript: Sendable {
        let gene: String
        let plusStrand: Bool
        let txStart: Int
        let txEnd: Int
        let cdsStart: Int
        let cdsEnd: Int
        let exonStarts: [Int]
        let exonEnds: [Int]
        /// Bases of coding sequence (0: a non-coding transcript).
        let codingLength: Int

        /// The most significant region over the 0-based bases `a...b`; nil when they miss the
        /// transcript and its promoter.
        func region(from a: Int, through b: Int) -> GeneRegion? {
            if b >= txStart && a < txEnd {
                var best: GeneRegion?
                func consider(_ region: GeneRegion) { if best.map({ region < $0 }) ?? true { best = region } }
                for exon in exonStarts.indices where exonStarts[exon] <= b && a < exonEnds[exon] {
                    guard codingLength > 0 else {
                        consider(.ncExon)
                        continue
                    }
                    let low = max(a, exonStarts[exon]), high = min(b, exonEnds[exon] - 1)
                    if high >= cdsStart && low < cdsEnd { consider(.cds(number: plusStrand ? exon + 1 : exonStarts.count - exon, count: exonStarts.count)) }
                    if low < cdsStart { consider(plusStrand ? .utr5 : .utr3) }
                    if high >= cdsEnd { consider(plusStrand ? .utr3 : .utr5) }
                }
                return best ?? .intron
            }
            let promoter = plusStrand ? (txStart - GeneTable.promoterLength, txStart - 1) : (txEnd, txEnd + GeneTable.promoterLength - 1)
            return b >= promoter.0 && a <= promoter.1 ? .promoter : nil
        }
    }

    static let promoterLength = 500
    static let bucketShift = 16

    /// One chromosome's transcripts by 64 KiB bucket (a dense array: lookups never hash).
    public struct Chromosome: Sendable {
        fileprivate let buckets: [[Int32]]
    }

    private let transcripts: [Transcript]
    private let chromosomes: [String: Chromosome]

    /// Parses the table text; `name` is used in errors.
    public init(text: String, name: String = "refGene") throws(AnnotationError) {
        var transcripts: [Transcript] = []
        var buckets: [String: [Int: [Int]]] = [:]
        var lineNumber = 0
        var fields: [ArraySlice<UInt8>] = []
        let bytes = Array(text.utf8)
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 10) ?? bytes.count
            var line = bytes[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            lineNumber += 1
            if line.last == 13 { line = line.dropLast() }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            fields.removeAll(keepingCapacity: true)
            var fieldStart = line.startIndex
            for index in line.indices where line[index] == 9 {
                fields.append(line[fieldStart..<index])
                fieldStart = index + 1
            }
            fields.append(line[fieldStart...])
            if fields.count >= 16, Self.number(fields[0]) != nil { fields.removeFirst() }  // the bin column
            guard fields.count >= 10 else { throw .invalidReference(file: name, line: lineNumber, reason: "expected at least 10 tab-separated columns") }
            func coordinate(_ index: Int) throws(AnnotationError) -> Int {
                guard let value = Self.number(fields[index]) else {
                    throw .invalidReference(file: name, line: lineNumber, reason: "column \(index + 1) is not a coordinate")
                }
                return value
            }
            func list(_ index: Int) throws(AnnotationError) -> [Int] {
                var values: [Int] = []
                for item in fields[index].split(separator: UInt8(ascii: ",")) {
                    guard let value = Self.number(item) else { throw .invalidReference(file: name, line: lineNumber, reason: "bad exon list in column \(index + 1)") }
                    values.append(value)
                }
                return values
            }
            let chrom = Self.canonical(String(decoding: fields[1], as: UTF8.self))
            let starts = try list(8)
            let ends = try list(9)
            guard starts.count == ends.count, starts.count == (Self.number(fields[7]) ?? -1) else {
                throw .invalidReference(file: name, line: lineNumber, reason: "exonCount does not match the exon lists")
            }
            let cdsStart = try coordinate(5), cdsEnd = try coordinate(6)
            var codingLength = 0
            for (start, end) in zip(starts, ends) { codingLength += max(0, min(end, cdsEnd) - max(start, cdsStart)) }
            let transcript = Transcript(
                gene: String(decoding: fields.count > 11 ? fields[11] : fields[0], as: UTF8.self), plusStrand: fields[2].first != UInt8(ascii: "-"),
                txStart: try coordinate(3), txEnd: try coordinate(4), cdsStart: cdsStart, cdsEnd: cdsEnd, exonStarts: starts,
                exonEnds: ends, codingLength: codingLength)
            guard transcript.txStart <= transcript.txEnd else { throw .invalidReference(file: name, line: lineNumber, reason: "txStart after txEnd") }
            let index = transcripts.count
            transcripts.append(transcript)
            let first = max(0, transcript.txStart - Self.promoterLength) >> Self.bucketShift
            let last = (transcript.txEnd + Self.promoterLength) >> Self.bucketShift
            for bucket in first...last { buckets[chrom, default: [:]][bucket, default: []].append(index) }
        }
        guard !transcripts.isEmpty else { throw .invalidReference(file: name, line: lineNumber, reason: "no transcripts: the gene table is empty") }
        self.transcripts = transcripts
        self.chromosomes = buckets.mapValues { byBucket in
            var dense = [[Int32]](repeating: [], count: (byBucket.keys.max() ?? 0) + 1)
            for (bucket, members) in byBucket { dense[bucket] = members.map(Int32.init) }
            return Chromosome(buckets: dense)
        }
    }

    /// A non-negative decimal number, or nil.
    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count < 19 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// The index of one chromosome, to look up many positions on it; nil when it has no genes.
    public func chromosome(_ name: String) -> Chromosome? { chromosomes[Self.canonical(name)] }

    /// The name a sequence is indexed under: without a `chr` prefix, mitochondria as `MT`.
    static func canonical(_ name: String) -> String {
        let bare = name.count > 3 && name.prefix(3).lowercased() == "chr" ? String(name.dropFirst(3)) : name
        return bare == "M" || bare == "m" || bare == "Mt" ? "MT" : bare
    }

    /// Every gene overlapping the 0-based position, each with its most significant region;
    /// empty when the position is intergenic.
    public func regions(chrom: String, position: Int) -> [(gene: String, region: GeneRegion)] {
        chromosome(chrom).map { regions(on: $0, from: position, through: position) } ?? []
    }

    /// A gene's finding while a lookup runs: its region, and the transcript that gave it.
    struct Finding {
        var gene: String
        var region: GeneRegion
        var transcript: Int
    }

    /// Every gene the 0-based bases `a...b` touch (or whose promoter they touch), each with its
    /// most significant region over them; empty when they are intergenic. When the isoforms of a
    /// gene disagree (a different exon number, or coding in one and not another), the most
    /// significant region wins; between coding exons of different isoforms, the numbering of the
    /// isoform with the longest coding sequence (then the longest transcript, then the first in
    /// the table) is reported.
    public func regions(on chromosome: Chromosome, from a: Int, through b: Int) -> [(gene: String, region: GeneRegion)] {
        var found: [Finding] = []
        let first = max(0, a) >> Self.bucketShift, last = min(b >> Self.bucketShift, chromosome.buckets.count - 1)
        guard first <= last else { return [] }
        for bucket in first...last {
            for index in chromosome.buckets[bucket] {
                // A transcript sits in every bucket it spans: take it in the first bucket the span shares with it.
                if bucket > first, chromosome.buckets[bucket - 1].contains(index) { continue }
                let transcript = transcripts[Int(index)]
                guard let region = transcript.region(from: a, through: b) else { continue }
                if let existing = found.firstIndex(where: { $0.gene == transcript.gene }) {
                    if better(region, Int(index), than: found[existing]) { found[existing] = Finding(gene: transcript.gene, region: region, transcript: Int(index)) }
                } else {
                    found.append(Finding(gene: transcript.gene, region: region, transcript: Int(index)))
                }
            }
        }
        return found.map { ($0.gene, $0.region) }
    }

    private func better(_ region: GeneRegion, _ index: Int, than finding: Finding) -> Bool {
        if region.rank != finding.region.rank { return region.rank < finding.region.rank }
        guard region.rank == 0 else { return false }
        let (new, old) = (transcripts[index], transcripts[finding.transcript])
        if new.codingLength != old.codingLength { return new.codingLength > old.codingLength }
        if new.txEnd - new.txStart != old.txEnd - old.txStart { return new.txEnd - new.txStart > old.txEnd - old.txStart }
        return index < finding.transcript
    }

    /// Number of transcripts loaded.
    public var count: Int { transcripts.count }

    /// The sequences the table has transcripts on (canonical names), sorted.
    public var sequenceNames: [String] { chromosomes.keys.sorted() }
}

/// Known variants (dbSNP style VCF): rsIDs by allele, matched in normalised form: the shared
/// bases of REF and ALT trimmed (suffix, then prefix), upper case, the chromosome by its canonical
/// name (`chr1` = `1`, `chrM` = `M` = `MT`). When the file lists one allele under several rsIDs, the
/// first listed wins (dbSNP lists the current rsID of a merged pair first).
public final class KnownVariants: Sendable {
    private let ids: [String: String]

    /// Parses a VCF whose ID column holds rsIDs.
    public init(text: String, name: String = "known variants") throws(AnnotationError) {
        var ids: [String: String] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count >= 5, let position = Int(fields[1]) else {
                throw .invalidReference(file: name, line: lineNumber, reason: "expected CHROM POS ID REF ALT")
            }
            guard fields[2] != "." else { continue }
            let ref = Array(fields[3].utf8)[...]
            for alt in fields[4].split(separator: ",") {
                guard let allele = try? Allele.read(ref: ref, alt: Array(alt.utf8)[...], position: position, end: nil), allele.kind != .symbolic else { continue }
                let key = Self.key(GeneTable.canonical(String(fields[0])), allele.key.position, allele.key.ref, allele.key.alt)
                if ids[key] == nil { ids[key] = String(fields[2]) }
            }
        }
        self.ids = ids
    }

    static func key(_ chrom: String, _ position: Int, _ ref: String, _ alt: String) -> String { "\(chrom)\t\(position)\t\(ref)\t\(alt)" }

    /// The rsID of a normalised allele (`Allele.key`), if known.
    func id(chrom: String, position: Int, ref: String, alt: String) -> String? {
        ids[Self.key(GeneTable.canonical(chrom), position, ref, alt)]
    }

    /// Number of alleles known.
    public var count: Int { ids.count }
}
