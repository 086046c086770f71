/// Transcripts from a UCSC refGene (genePred, with or without the leading `bin` column) table,
/// indexed for point lookups by chromosome and 64 KiB bucket.
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

        func region(at x: Int) -> GeneRegion? {
            if x >= txStart && x < txEnd {
                guard let exon = exonStarts.indices.first(where: { exonStarts[$0] <= x && x < exonEnds[$0] }) else { return .intron }
                if x >= cdsStart && x < cdsEnd {
                    return .cds(number: plusStrand ? exon + 1 : exonStarts.count - exon, count: exonStarts.count)
                }
                return (x < cdsStart) == plusStrand ? .utr5 : .utr3
            }
            let upstream = plusStrand ? (x >= txStart - GeneTable.promoterLength && x < txStart) : (x >= txEnd && x < txEnd + GeneTable.promoterLength)
            return upstream ? .promoter : nil
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
            let chrom = String(decoding: fields[1], as: UTF8.self)
            let starts = try list(8)
            let ends = try list(9)
            guard starts.count == ends.count, starts.count == (Self.number(fields[7]) ?? -1) else {
                throw .invalidReference(file: name, line: lineNumber, reason: "exonCount does not match the exon lists")
            }
            let transcript = Transcript(
                gene: String(decoding: fields.count > 11 ? fields[11] : fields[0], as: UTF8.self), plusStrand: fields[2].first != UInt8(ascii: "-"),
                txStart: try coordinate(3), txEnd: try coordinate(4), cdsStart: try coordinate(5), cdsEnd: try coordinate(6), exonStarts: starts,
                exonEnds: ends)
            guard transcript.txStart <= transcript.txEnd else { throw .invalidReference(file: name, line: lineNumber, reason: "txStart after txEnd") }
            let index = transcripts.count
            transcripts.append(transcript)
            let first = max(0, transcript.txStart - Self.promoterLength) >> Self.bucketShift
            let last = (transcript.txEnd + Self.promoterLength) >> Self.bucketShift
            for bucket in first...last { buckets[chrom, default: [:]][bucket, default: []].append(index) }
        }
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
    public func chromosome(_ name: String) -> Chromosome? { chromosomes[name] }

    /// Every gene overlapping the 0-based position, each with its most significant region;
    /// empty when the position is intergenic.
    public func regions(chrom: String, position: Int) -> [(gene: String, region: GeneRegion)] {
        chromosome(chrom).map { regions(on: $0, position: position) } ?? []
    }

    /// The same, on a chromosome index.
    public func regions(on chromosome: Chromosome, position: Int) -> [(gene: String, region: GeneRegion)] {
        let bucket = position >> Self.bucketShift
        guard bucket < chromosome.buckets.count else { return [] }
        var found: [(gene: String, region: GeneRegion)] = []
        for index in chromosome.buckets[bucket] {
            let transcript = transcripts[Int(index)]
            guard let region = transcript.region(at: position) else { continue }
            if let existing = found.firstIndex(where: { $0.gene == transcript.gene }) {
                if region < found[existing].region { found[existing].region = region }
            } else {
                found.append((transcript.gene, region))
            }
        }
        return found
    }

    /// Number of transcripts loaded.
    public var count: Int { transcripts.count }
}

/// Known variants (dbSNP style VCF): `chrom pos ref alt` to rsID.
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
            guard fields.count >= 5, Int(fields[1]) != nil else {
                throw .invalidReference(file: name, line: lineNumber, reason: "expected CHROM POS ID REF ALT")
            }
            guard fields[2] != "." else { continue }
            for alt in fields[4].split(separator: ",") {
                ids["\(fields[0])\t\(fields[1])\t\(fields[3].uppercased())\t\(alt.uppercased())"] = String(fields[2])
            }
        }
        self.ids = ids
    }

    /// The rsID of an allele, if known.
    public func id(chrom: String, position: String, ref: String, alt: String) -> String? {
        ids["\(chrom)\t\(position)\t\(ref)\t\(alt)"]
    }

    /// Number of alleles known.
    public var count: Int { ids.count }
}
