/// What kind of change an ALT allele makes to REF.
public enum VariantClass: String, Sendable, CaseIterable {
    case snv = "SNV"
    case mnv = "MNV"
    case insertion = "insertion"
    case deletion = "deletion"
    /// Symbolic (`<DEL>`), breakend or `*` alleles.
    case symbolic = "symbolic"

    /// Classifies one ALT allele against REF (base strings, any case).
    static func of(ref: ArraySlice<UInt8>, alt: ArraySlice<UInt8>) -> VariantClass {
        if alt.first == UInt8(ascii: "<") || alt.contains(UInt8(ascii: "[")) || alt.contains(UInt8(ascii: "]"))
            || (alt.count == 1 && alt.first == UInt8(ascii: "*"))
        {
            return .symbolic
        }
        if ref.count == alt.count { return ref.count == 1 ? .snv : .mnv }
        return alt.count > ref.count ? .insertion : .deletion
    }
}

/// Where a position falls relative to a transcript, most significant first.
public enum GeneRegion: Comparable, Sendable, CustomStringConvertible {
    /// Coding exon `number` of `count`, numbered along the transcript's strand.
    case cds(number: Int, count: Int)
    case utr5
    case utr3
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

    private var rank: Int {
        switch self {
        case .cds: 0
        case .utr5: 1
        case .utr3: 2
        case .intron: 3
        case .promoter: 4
        case .intergenic: 5
        }
    }

    public static func < (lhs: GeneRegion, rhs: GeneRegion) -> Bool { lhs.rank < rhs.rank }
}
