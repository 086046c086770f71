/// Known variants from a bgzipped VCF with its tabix or CSI index (dbSNP as NCBI ships it), read
/// through the index: only the blocks the input's positions need, never the whole file, so memory
/// stays bounded whatever its size. The data can be a local file or an S3 object (`RandomAccessBytes`).
public struct IndexedKnownVariants: Sendable {
    let data: any RandomAccessBytes
    let index: TabixIndex
    let name: String

    /// Reads the index (`.tbi` or `.csi`, itself bgzipped) whole: it is small (dbSNP's is a few MB).
    public init(data: any RandomAccessBytes, index: any RandomAccessBytes, name: String) throws(AnnotationError) {
        self.data = data
        self.name = name
        self.index = try TabixIndex(try BGZF.readAll(index), name: name + " index")
    }

    /// A reader for one annotation run (it keeps its place in the file between lookups).
    func cursor() throws(AnnotationError) -> Cursor { try Cursor(self) }

    /// Reads forward from where the last lookup left off while the input's positions move forward
    /// (sorted input, the norm), and seeks through the index on a new chromosome, a jump of more
    /// than 64 KiB, or a position behind the last (unsorted input: correct, only slower).
    final class Cursor {
        /// Raw positions this far before a lookup are read too: a known allele padded with up to
        /// this many shared bases still normalises to the lookup's position.
        static let lookback = 100
        private let source: IndexedKnownVariants
        private let inflater: RawInflater
        private var sequence: Int?
        private var chromosome = ""
        private var nextBlock = 0
        private var pending: [UInt8] = []
        private var pendingStart = 0
        private var exhausted = true
        /// The highest raw position read on this sequence.
        private var frontier = 0
        private var lastPosition = 0
        /// Records before this raw position cannot match any lookup to come: read past, not kept.
        private var floor = 0
        /// rsIDs of the alleles read, by normalised "position ref alt"; the first listed wins.
        private var window: [String: String] = [:]
        private var windowStarts: [Int] = []
        /// Compressed bytes of the blocks read (what a remote source had to fetch, before its read-ahead).
        private(set) var bytesRead = 0

        init(_ source: IndexedKnownVariants) throws(AnnotationError) {
            self.source = source
            inflater = try RawInflater()
        }

        /// The rsID of the normalised allele at `position` (`Allele.key`) of a record at raw `recordPosition`.
        func id(chrom: String, recordPosition: Int, position: Int, ref: String, alt: String) throws(AnnotationError) -> String? {
            if chrom != chromosome || recordPosition < lastPosition || position - frontier > 65_536 {
                try seek(chrom, to: max(1, recordPosition - Self.lookback))
            }
            lastPosition = recordPosition
            floor = recordPosition - Self.lookback
            guard sequence != nil else { return nil }
            while frontier <= position && !exhausted { try readRecord() }
            // Alleles starting before this record cannot match it or any later one.
            if let first = windowStarts.first, first < recordPosition - Self.lookback {
                window = window.filter { (Int($0.key.prefix { $0 != " " }) ?? 0) >= recordPosition - Self.lookback }
                windowStarts = window.keys.map { Int($0.prefix { $0 != " " }) ?? 0 }.sorted()
            }
            return window["\(position) \(ref) \(alt)"]
        }

        private func seek(_ chrom: String, to position: Int) throws(AnnotationError) {
            chromosome = chrom
            window = [:]
            windowStarts = []
            frontier = 0
            pending = []
            pendingStart = 0
            sequence = source.index.sequences[GeneTable.canonical(chrom)]
            guard let sequence, let start = source.index.start(sequence: sequence, position: position) else {
                exhausted = true
                return
            }
            exhausted = false
            nextBlock = Int(start >> 16)
            try loadBlock()
            pendingStart = min(Int(start & 0xffff), pending.count)
            frontier = position - 1
        }

        private func loadBlock() throws(AnnotationError) {
            guard let block = try BGZF.block(at: nextBlock, in: source.data, inflater: inflater) else {
                exhausted = true
                return
            }
            bytesRead += block.next - nextBlock
            pending = Array(pending[pendingStart...]) + block.data
            pendingStart = 0
            nextBlock = block.next
            if block.data.isEmpty { try loadBlock() }  // the empty block that ends a BGZF file
        }

        /// Reads one record line of this sequence into the window (or marks the sequence done).
        private func readRecord() throws(AnnotationError) {
            var newline = pending[pendingStart...].firstIndex(of: 10)
            while newline == nil && !exhausted {
                try loadBlock()
                newline = pending[pendingStart...].firstIndex(of: 10)
            }
            let end = newline ?? pending.count
            let line = pending[pendingStart..<end]
            pendingStart = min(end + 1, pending.count)
            if newline == nil { exhausted = true }
            guard !line.isEmpty, line.first != UInt8(ascii: "#") else { return }
            let fields = line.split(separator: 9, maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count >= 5, let raw = GeneTable.number(fields[1]) else {
                throw .invalidReference(file: source.name, line: 0, reason: "a record near position \(frontier) is not CHROM POS ID REF ALT")
            }
            guard GeneTable.canonical(String(decoding: fields[0], as: UTF8.self)) == GeneTable.canonical(chromosome) else {
                exhausted = true  // the next sequence begins
                return
            }
            frontier = max(frontier, raw)
            guard raw >= floor, !(fields[2].count == 1 && fields[2].first == UInt8(ascii: ".")) else { return }
            for alt in fields[4].split(separator: UInt8(ascii: ",")) {
                guard let allele = try? Allele.read(ref: fields[3], alt: alt, position: raw, end: nil), allele.kind != .symbolic else { continue }
                let key = allele.key
                let text = "\(key.position) \(key.ref) \(key.alt)"
                if window[text] == nil {
                    window[text] = String(decoding: fields[2], as: UTF8.self)
                    windowStarts.append(key.position)
                }
            }
        }
    }
}
