/// What kind of change an ALT allele makes to REF, after the bases both share are trimmed.
public enum VariantClass: String, Sendable, CaseIterable {
    case snv = "SNV"
    case mnv = "MNV"
    case insertion = "insertion"
    case deletion = "deletion"
    /// A substitution of different lengths that is not a pure insertion or deletion (a delins).
    case complex = "complex"
    /// Symbolic (`<DEL>`, `<INS>`, …) and breakend alleles (`G[chr2:5[`, `G.`, `.G`).
    case symbolic = "symbolic"
}

/// One ALT allele read against REF: its class and the bases it affects. Nil from `read` when the
/// allele is not a variant (the same bases as REF, `*`, `<*>`, `<NON_REF>`, `.`).
struct Allele {
    let kind: VariantClass
    /// Affected bases, 1-based inclusive. An insertion is given as its two flanking bases (it sits
    /// between them); a breakend as its own base.
    let first: Int
    let last: Int
    /// What changed: REF and ALT without their shared prefix and suffix, and where that starts.
    private let ref: ArraySlice<UInt8>
    private let alt: ArraySlice<UInt8>
    private let start: Int

    /// The normalised form known variants are matched in: position of the first changed base,
    /// changed REF and ALT in upper case (`-` when empty).
    var key: (position: Int, ref: String, alt: String) {
        func text(_ bytes: ArraySlice<UInt8>) -> String { bytes.isEmpty ? "-" : String(decoding: Annotator.uppercased(bytes), as: UTF8.self) }
        return (start, text(ref), text(alt))
    }

    /// Reads `alt` against `ref` at 1-based `position`; `end` is INFO's END (or POS + |SVLEN|) for a
    /// symbolic allele. Nil for a non-variant allele; throws for an ALT that is not VCF.
    static func read(ref: ArraySlice<UInt8>, alt: ArraySlice<UInt8>, position: Int, end: Int?) throws(AlleleError) -> Allele? {
        guard !alt.isEmpty else { throw .empty }
        if alt.count == 1 && ref.count == 1 && Annotator.isBaseIgnoringCase(alt.first!) {
            // The common case, without trimming: an SNV, or the reference base again.
            guard alt.first! & ~0x20 != ref.first! & ~0x20 else { return nil }
            return Allele(kind: .snv, first: position, last: position, ref: ref, alt: alt, start: position)
        }
        if alt.elementsEqual("*".utf8) || alt.elementsEqual(".".utf8) || alt.elementsEqual("<*>".utf8) || alt.elementsEqual("<NON_REF>".utf8) {
            return nil
        }
        if alt.first == UInt8(ascii: "<") {
            guard alt.last == UInt8(ascii: ">"), alt.count > 2 else { throw .malformed }
            // <DEL>, <DUP>, <INV>, <CNV>: the bases after the padding base through END; <INS> and others: the padding base.
            let spans = ["<DEL", "<DUP", "<INV", "<CNV"].contains { alt.starts(with: $0.utf8) }
            return Allele(
                kind: .symbolic, first: spans ? position + 1 : position, last: spans ? max(position + 1, end ?? position + 1) : position,
                ref: ref, alt: alt, start: position)
        }
        if alt.contains(UInt8(ascii: "[")) || alt.contains(UInt8(ascii: "]")) || alt.first == UInt8(ascii: ".") || alt.last == UInt8(ascii: ".") {
            // Breakends: mate joins (t[p[, t]p], ]p]t, [p[t) and single breakends (t., .t), at REF's base.
            guard alt.contains(where: Annotator.isBaseIgnoringCase) else { throw .malformed }
            return Allele(kind: .symbolic, first: position, last: position + max(0, ref.count - 1), ref: ref, alt: alt, start: position)
        }
        guard alt.allSatisfy(Annotator.isBaseIgnoringCase) else { throw .malformed }
        // Trim the shared suffix, then the shared prefix (ignoring case): what remains is what changed.
        var r = ref, a = alt
        while let x = r.last, let y = a.last, x & ~0x20 == y & ~0x20 {
            r = r.dropLast()
            a = a.dropLast()
        }
        var start = position
        while let x = r.first, let y = a.first, x & ~0x20 == y & ~0x20 {
            r = r.dropFirst()
            a = a.dropFirst()
            start += 1
        }
        switch (r.count, a.count) {
        case (0, 0): return nil
        case (0, _): return Allele(kind: .insertion, first: start - 1, last: start, ref: r, alt: a, start: start)
        case (_, 0): return Allele(kind: .deletion, first: start, last: start + r.count - 1, ref: r, alt: a, start: start)
        case (1, 1): return Allele(kind: .snv, first: start, last: start, ref: r, alt: a, start: start)
        case (let n, let m) where n == m: return Allele(kind: .mnv, first: start, last: start + n - 1, ref: r, alt: a, start: start)
        default: return Allele(kind: .complex, first: start, last: start + r.count - 1, ref: r, alt: a, start: start)
        }
    }

    enum AlleleError: Error { case empty, malformed }
}

/// Where a stretch of bases falls relative to a transcript, most significant first.
public enum GeneRegion: Comparable, Sendable, CustomStringConvertible {
    /// Coding exon `number` of `count`, numbered along the transcript's strand.
    case cds(number: Int, count: Int)
    case utr5
    case utr3
    /// An exon of a non-coding transcript (cdsStart == cdsEnd): coding nowhere.
    case ncExon
    case intron
    /// Within 500 bp upstream of the transcript start.
    case promoter
    case intergenic

    /// The name used in INFO and in the count log.
    public var description: String {
        switch self {
        case .cds(let number, let count): "CDS_exon_\(number)/\(count)"
        case .utr5: "UTR5"
        case .utr3: "UTR3"
        case .ncExon: "ncRNA_exon"
        case .intron: "intron"
        case .promoter: "promoter"
        case .intergenic: "intergenic"
        }
    }

    /// The name without exon numbers, for totals.
    public var kind: String {
        if case .cds = self { return "CDS" }
        return description
    }

    var rank: Int {
        switch self {
        case .cds: 0
        case .utr5: 1
        case .utr3: 2
        case .ncExon: 3
        case .intron: 4
        case .promoter: 5
        case .intergenic: 6
        }
    }

    /// By significance; between two coding exons of one transcript, the lower number first.
    public static func < (lhs: GeneRegion, rhs: GeneRegion) -> Bool {
        if case .cds(let a, _) = lhs, case .cds(let b, _) = rhs { return a < b }
        return lhs.rank < rhs.rank
    }
}
