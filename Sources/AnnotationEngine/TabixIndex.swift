/// A tabix (`.tbi`) or CSI (`.csi`) index of a bgzipped VCF: for a sequence and position, the
/// virtual offset to start reading at so that no record at or after the position is missed.
struct TabixIndex: Sendable {
    /// Sequence names as the index lists them, by canonical name (`chr1` = `1`).
    let sequences: [String: Int]
    private let starts: [Query]

    /// How one sequence answers: tabix's linear index (one offset per 16 KiB window), or CSI's bins.
    private enum Query: Sendable {
        case linear([UInt64])
        case bins(minShift: Int, depth: Int, loffsets: [UInt32: UInt64])
    }

    /// Parses the decompressed index.
    init(_ bytes: [UInt8], name: String) throws(AnnotationError) {
        var reader = Reader(bytes: bytes, name: name)
        let magic = try reader.bytes(4)
        var queries: [Query] = []
        var names: [String] = []
        if magic == Array("TBI\u{1}".utf8) {
            let count = try reader.int32()
            _ = try reader.int32s(6)  // format, col_seq, col_beg, col_end, meta, skip
            names = try Self.names(try reader.bytes(Int(try reader.int32())))
            for _ in 0..<count {
                for _ in 0..<(try reader.int32()) {
                    _ = try reader.uint32()
                    try reader.skip(16 * Int(try reader.int32()))
                }
                let windows = try reader.int32()
                queries.append(.linear(try (0..<windows).map { _ throws(AnnotationError) in try reader.uint64() }))
            }
        } else if magic == Array("CSI\u{1}".utf8) {
            let minShift = Int(try reader.int32()), depth = Int(try reader.int32())
            var aux = Reader(bytes: try reader.bytes(Int(try reader.int32())), name: name)
            if (try? aux.int32s(6)) != nil, let length = try? aux.int32(), let list = try? aux.bytes(Int(length)) { names = Self.names(list) }
            let count = try reader.int32()
            for _ in 0..<count {
                var loffsets: [UInt32: UInt64] = [:]
                for _ in 0..<(try reader.int32()) {
                    let bin = try reader.uint32()
                    loffsets[bin] = try reader.uint64()
                    try reader.skip(16 * Int(try reader.int32()))
                }
                queries.append(.bins(minShift: minShift, depth: depth, loffsets: loffsets))
            }
            guard names.count == Int(count) else { throw .invalidReference(file: name, line: 0, reason: "the CSI index names no sequences (index a VCF with bcftools index -c)") }
        } else {
            throw .invalidReference(file: name, line: 0, reason: "not a tabix (.tbi) or CSI (.csi) index")
        }
        guard names.count == queries.count else { throw .invalidReference(file: name, line: 0, reason: "the index names \(names.count) sequences for \(queries.count)") }
        var sequences: [String: Int] = [:]
        for (index, sequence) in names.enumerated() { sequences[GeneTable.canonical(sequence)] = index }
        self.sequences = sequences
        starts = queries
    }

    private static func names(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Where to start reading `sequence` for records at or after 1-based `position`; nil when it has none there.
    func start(sequence: Int, position: Int) -> UInt64? {
        let zeroBased = max(0, position - 1)
        switch starts[sequence] {
        case .linear(let offsets):
            guard !offsets.isEmpty else { return nil }
            // Past the last window, records can still start in it (a long record ends there): use the last.
            return offsets[min(zeroBased >> 14, offsets.count - 1)]
        case .bins(let minShift, let depth, let loffsets):
            // A bin's loffset is the first record overlapping its interval; the deepest bin holding the
            // position has the latest one, and every record at or after the position comes after it.
            var start: UInt64?
            for level in 0...depth {
                let first = ((1 << (3 * level)) - 1) / 7
                let bin = UInt32(first + (zeroBased >> (minShift + 3 * (depth - level))))
                if let loffset = loffsets[bin] { start = max(start ?? 0, loffset) }
            }
            return start
        }
    }

    /// Little-endian fields of an index.
    private struct Reader {
        let bytes: [UInt8]
        let name: String
        var at = 0

        mutating func bytes(_ count: Int) throws(AnnotationError) -> [UInt8] {
            guard count >= 0, at + count <= bytes.count else { throw .invalidReference(file: name, line: 0, reason: "the index ends early (truncated)") }
            defer { at += count }
            return Array(bytes[at..<(at + count)])
        }

        mutating func skip(_ count: Int) throws(AnnotationError) { _ = try bytes(count) }

        mutating func uint64() throws(AnnotationError) -> UInt64 { try bytes(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        mutating func uint32() throws(AnnotationError) -> UInt32 { try bytes(4).reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        mutating func int32() throws(AnnotationError) -> Int32 { Int32(bitPattern: try uint32()) }
        mutating func int32s(_ count: Int) throws(AnnotationError) -> [Int32] { try (0..<count).map { _ throws(AnnotationError) in try int32() } }
    }
}
