import AWSSigV4

/// Glacier's SHA-256 tree hash, computed incrementally over 1 MiB leaves; optionally also the
/// linear SHA-256 that SigV4 signs for uploads, in the same pass.
public final class TreeHash {
    /// Leaf size.
    public static let chunkSize = 1 << 20

    private var leaves: [[UInt8]] = []
    private var leaf = SHA256()
    private var leafCount = 0
    private let linear: SHA256?

    /// Starts an empty hash; `withLinear` also computes the plain SHA-256.
    public init(withLinear: Bool = false) { linear = withLinear ? SHA256() : nil }

    /// Feeds the next bytes.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        linear?.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let take = min(Self.chunkSize - leafCount, bytes.count - offset)
            leaf.update(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take]))
            leafCount += take
            offset += take
            if leafCount == Self.chunkSize { closeLeaf() }
        }
    }

    /// Feeds a byte array.
    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The tree hash and (when asked for) the linear SHA-256, as lower-case hex.
    /// The hash must not be fed afterwards.
    public func finalize() -> (treeHash: String, sha256: String?) {
        if leafCount > 0 || leaves.isEmpty { closeLeaf() }
        return (Hex.encode(Self.combine(leaves)), linear.map { Hex.encode($0.finalize()) })
    }

    /// Reduces node digests pairwise (a lone last node moves up unchanged) to the root.
    public static func combine(_ nodes: [[UInt8]]) -> [UInt8] {
        var level = nodes
        guard !level.isEmpty else { return SHA256.hash([UInt8]()) }
        while level.count > 1 {
            var next: [[UInt8]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index + 1 < level.count {
                next.append(SHA256.hash(level[index] + level[index + 1]))
                index += 2
            }
            if index < level.count { next.append(level[index]) }
            level = next
        }
        return level[0]
    }

    /// The tree hash of bytes in memory.
    public static func hash(_ bytes: [UInt8]) -> String {
        let tree = TreeHash()
        tree.update(bytes)
        return tree.finalize().treeHash
    }

    private func closeLeaf() {
        leaves.append(leaf.finalize())
        leaf = SHA256()
        leafCount = 0
    }
}
