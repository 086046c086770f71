/// Transcripts from a UCSC refGene (genePred, with or without the leading `bin` column) table,
/// indexed for lookups by chromosome (`1`, `chr1`; `MT`, `chrM`, `M` name the same sequence) and
/// 64 KiB bucket.
public final class GeneTable: Sendable {
    /// One transcript, all plain values (a lookup touches dozens: no reference counting per look).
    struct Transcript: Sendable {
        let gene: Int32
        let plusStrand: Bool
        let txStart: Int
        let txEnd: Int
        let cdsStart: Int
        let cdsEnd: Int
        /// Its exons in `exonStarts`/`exonEnds`, ascending.
        let firstExon: Int32
        let exonCount: Int32
        /// Bases of coding sequence (0: a non-coding transcript).
        let codingLength: Int
    }

    /// The most significant region of transcript `t` over the 0-based bases `a...b`; nil when they
    /// miss the transcript and its promoter.
    static func region(
        _ t: Transcript, from a: Int, through b: Int, starts exonStarts: UnsafeBufferPointer<Int32>, ends exonEnds: UnsafeBufferPointer<Int32>
    ) -> GeneRegion? {
        if b >= t.txStart && a < t.txEnd {
            var best: GeneRegion?
            func consider(_ region: GeneRegion) { if best.map({ region < $0 }) ?? true { best = region } }
            let first = Int(t.firstExon), count = Int(t.exonCount)
            // The first exon ending after `a` (exons are sorted and do not overlap).
            var low = first, high = first + count
            while low < high {
                let middle = (low + high) / 2
                if Int(exonEnds[middle]) <= a { low = middle + 1 } else { high = middle }
            }
            var exon = low
            while exon < first + count && Int(exonStarts[exon]) <= b {
                if t.codingLength == 0 {
                    consider(.ncExon)
                } else {
                    let from = max(a, Int(exonStarts[exon])), to = min(b, Int(exonEnds[exon]) - 1)
                    let number = t.plusStrand ? exon - first + 1 : count - (exon - first)
                    if to >= t.cdsStart && from < t.cdsEnd { consider(.cds(number: number, count: count)) }
                    if from < t.cdsStart { consider(t.plusStrand ? .utr5 : .utr3) }
                    if to >= t.cdsEnd { consider(t.plusStrand ? .utr3 : .utr5) }
                }
                exon += 1
            }
            return best ?? .intron
        }
        let promoter = t.plusStrand ? (t.txStart - GeneTable.promoterLength, t.txStart - 1) : (t.txEnd, t.txEnd + GeneTable.promoterLength - 1)
        return b >= promoter.0 && a <= promoter.1 ? .promoter : nil
    }

    static let promoterLength = 500
    static let bucketShift = 14

    /// One chromosome's transcripts by 16 KiB bucket (a dense array: lookups never hash).
    public struct Chromosome: Sendable {
        /// Bucket `b`'s transcripts are `members[offsets[b]..<offsets[b + 1]]` (one flat array).
        fileprivate let offsets: [Int32]
        fileprivate let members: [Int32]
        var bucketCount: Int { offsets.count - 1 }

        fileprivate func bucket(_ b: Int) -> ArraySlice<Int32> { members[Int(offsets[b])..<Int(offsets[b + 1])] }
    }

    private let transcripts: [Transcript]
    /// Every transcript's exons, one after another (coordinates fit 32 bits: chromosomes are under 2^31 bases).
    private let exonStarts: [Int32]
    private let exonEnds: [Int32]
    private let geneNames: [String]
    private let chromosomes: [String: Chromosome]

    /// Parses the table text; `name` is used in errors.
    public convenience init(text: String, name: String = "refGene") throws(AnnotationError) {
        try self.init(bytes: Array(text.utf8), name: name)
    }

    /// Parses the table's bytes (as read from a file or S3, without a String in between).
    public init(bytes: [UInt8], name: String = "refGene") throws(AnnotationError) {
        var transcripts: [Transcript] = []
        var exonStarts: [Int32] = [], exonEnds: [Int32] = [], geneNames: [String] = [], geneIndex: [String: Int32] = [:]
        var starts: [Int] = [], ends: [Int] = []
        var lastChromBytes: [UInt8] = [], lastChrom = "", lastGeneBytes: [UInt8] = [], lastGene: Int32 = 0
        var entries: [[(bucket: Int32, transcript: Int32)]] = [], entryIndex: [String: Int] = [:], current = 0
        var lineNumber = 0
        var fields: [ArraySlice<UInt8>] = []
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
            /// A comma-separated coordinate list, parsed in place (this runs for every exon of a 250k-transcript table).
            func list(_ index: Int, into values: inout [Int]) throws(AnnotationError) {
                values.removeAll(keepingCapacity: true)
                var value = 0, digits = 0
                for byte in fields[index] {
                    if byte == UInt8(ascii: ",") {
                        guard digits > 0 else { throw .invalidReference(file: name, line: lineNumber, reason: "bad exon list in column \(index + 1)") }
                        values.append(value)
                        value = 0
                        digits = 0
                    } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 {
                        value = value * 10 + Int(byte - UInt8(ascii: "0"))
                        digits += 1
                    } else {
                        throw .invalidReference(file: name, line: lineNumber, reason: "bad exon list in column \(index + 1)")
                    }
                }
                if digits > 0 { values.append(value) }
            }
            // Tables come grouped by chromosome and gene: names are hashed only when they change.
            if !fields[1].elementsEqual(lastChromBytes) {
                lastChromBytes = Array(fields[1])
                lastChrom = Self.canonical(String(decoding: fields[1], as: UTF8.self))
                current = entryIndex[lastChrom] ?? {
                    entries.append([])
                    entryIndex[lastChrom] = entries.count - 1
                    return entries.count - 1
                }()
            }
            try list(8, into: &starts)
            try list(9, into: &ends)
            guard starts.count == ends.count, starts.count == (Self.number(fields[7]) ?? -1) else {
                throw .invalidReference(file: name, line: lineNumber, reason: "exonCount does not match the exon lists")
            }
            let cdsStart = try coordinate(5), cdsEnd = try coordinate(6)
            var codingLength = 0
            for (start, end) in zip(starts, ends) { codingLength += max(0, min(end, cdsEnd) - max(start, cdsStart)) }
            guard zip(starts, ends).allSatisfy({ $0 <= $1 }), zip(ends, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw .invalidReference(file: name, line: lineNumber, reason: "exons must be sorted and must not overlap")
            }
            let geneField = fields.count > 11 ? fields[11] : fields[0]
            if !geneField.elementsEqual(lastGeneBytes) {
                lastGeneBytes = Array(geneField)
                let geneName = String(decoding: geneField, as: UTF8.self)
                lastGene = geneIndex[geneName] ?? {
                    geneNames.append(geneName)
                    geneIndex[geneName] = Int32(geneNames.count - 1)
                    return Int32(geneNames.count - 1)
                }()
            }
            let gene = lastGene
            let transcript = Transcript(
                gene: gene, plusStrand: fields[2].first != UInt8(ascii: "-"), txStart: try coordinate(3), txEnd: try coordinate(4),
                cdsStart: cdsStart, cdsEnd: cdsEnd, firstExon: Int32(exonStarts.count), exonCount: Int32(starts.count), codingLength: codingLength)
            guard (ends.last ?? 0) < Int(Int32.max) else { throw .invalidReference(file: name, line: lineNumber, reason: "coordinates beyond 2^31") }
            exonStarts.append(contentsOf: starts.lazy.map { Int32($0) })
            exonEnds.append(contentsOf: ends.lazy.map { Int32($0) })
            guard transcript.txStart <= transcript.txEnd else { throw .invalidReference(file: name, line: lineNumber, reason: "txStart after txEnd") }
            let index = transcripts.count
            transcripts.append(transcript)
            let first = max(0, transcript.txStart - Self.promoterLength) >> Self.bucketShift
            let last = (transcript.txEnd + Self.promoterLength) >> Self.bucketShift
            entries[current].append(contentsOf: (first...last).lazy.map { (Int32($0), Int32(index)) })
        }
        guard !transcripts.isEmpty else { throw .invalidReference(file: name, line: lineNumber, reason: "no transcripts: the gene table is empty") }
        self.transcripts = transcripts
        self.exonStarts = exonStarts
        self.exonEnds = exonEnds
        self.geneNames = geneNames
        // Counting sort of the (bucket, transcript) pairs into one flat array per chromosome.
        self.chromosomes = entryIndex.mapValues { entry in
            let pairs = entries[entry]
            let count = Int(pairs.map(\.bucket).max() ?? 0) + 1
            var offsets = [Int32](repeating: 0, count: count + 1)
            for pair in pairs { offsets[Int(pair.bucket) + 1] += 1 }
            for b in 0..<count { offsets[b + 1] += offsets[b] }
            var fill = offsets
            var members = [Int32](repeating: 0, count: pairs.count)
            for pair in pairs {
                members[Int(fill[Int(pair.bucket)])] = pair.transcript
                fill[Int(pair.bucket)] += 1
            }
            return Chromosome(offsets: offsets, members: members)
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
        guard let chromosome = chromosome(chrom) else { return [] }
        var found: [Finding] = []
        regions(on: chromosome, from: position, through: position, into: &found)
        return found.map { (geneName($0.gene), $0.region) }
    }

    /// A gene's name by its number in a `Finding`.
    func geneName(_ gene: Int32) -> String { geneNames[Int(gene)] }

    /// A gene's finding while a lookup runs: its region, and the transcript that gave it.
    struct Finding {
        var gene: Int32
        var region: GeneRegion
        var transcript: Int
    }

    /// Every gene the 0-based bases `a...b` touch (or whose promoter they touch), each with its
    /// most significant region over them; empty when they are intergenic. When the isoforms of a
    /// gene disagree (a different exon number, or coding in one and not another), the most
    /// significant region wins; between coding exons of different isoforms, the numbering of the
    /// isoform with the longest coding sequence (then the longest transcript, then the first in
    /// the table) is reported.
    /// Adds them to `found`, merging with what is there (one entry per gene): several spans of one
    /// record (its alleles) accumulate in one buffer, reused from record to record.
    func regions(on chromosome: Chromosome, from a: Int, through b: Int, into found: inout [Finding]) {
        let first = max(0, a) >> Self.bucketShift, last = min(b >> Self.bucketShift, chromosome.bucketCount - 1)
        guard first <= last else { return }
        transcripts.withUnsafeBufferPointer { transcripts in
            exonStarts.withUnsafeBufferPointer { starts in
                exonEnds.withUnsafeBufferPointer { ends in
                    for bucket in first...last {
                        for index in chromosome.bucket(bucket) {
                            // A transcript sits in every bucket it spans: take it in the first bucket the span shares with it.
                            if bucket > first, chromosome.bucket(bucket - 1).contains(index) { continue }
                            let transcript = transcripts[Int(index)]
                            guard let region = Self.region(transcript, from: a, through: b, starts: starts, ends: ends) else { continue }
                            if let existing = found.firstIndex(where: { $0.gene == transcript.gene }) {
                                if Self.better(region, transcript, Int(index), than: found[existing], transcripts) {
                                    found[existing] = Finding(gene: transcript.gene, region: region, transcript: Int(index))
                                }
                            } else {
                                found.append(Finding(gene: transcript.gene, region: region, transcript: Int(index)))
                            }
                        }
                    }
                }
            }
        }
    }

    private static func better(
        _ region: GeneRegion, _ new: Transcript, _ index: Int, than finding: Finding, _ transcripts: UnsafeBufferPointer<Transcript>
    ) -> Bool {
        if region.rank != finding.region.rank { return region.rank < finding.region.rank }
        guard region.rank == 0 else { return false }
        let old = transcripts[finding.transcript]
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
