import AWSGlacier
import AWSSigV4
import Foundation
import TestSupport
import Testing

/// One entry of `glacier_tree_hash*.json`.
struct TreeHashVector: Decodable, CustomTestStringConvertible, Sendable {
    struct Part: Decodable, Sendable { let content_range: String; let tree_hash: String }
    struct Complete: Decodable, Sendable {
        let size: String
        let treeHash: String
        enum CodingKeys: String, CodingKey { case size = "x-amz-archive-size", treeHash = "x-amz-sha256-tree-hash" }
    }
    struct Multipart: Decodable, Sendable { let part_size: Int; let parts: [Part]; let complete_request: Complete }
    let id: String
    let size_bytes: Int
    let seed: Int
    let first_16_bytes_hex: String?
    let sha256_linear: String
    let tree_hash: String
    let leaf_hashes: [String]?
    let multipart: [Multipart]?

    var testDescription: String { id }
}

@Suite struct TreeHashTests {
    static let vectors = (try? Vectors.load(TreeHashVector.self, prefix: "glacier_tree_hash")) ?? []

    @Test func vectorsArePresent() throws {
        #expect(try Vectors.load(TreeHashVector.self, prefix: "glacier_tree_hash").count >= 8)
    }

    @Test(arguments: vectors)
    func matchesBotocore(_ vector: TreeHashVector) throws {
        let bytes = Vectors.patternBytes(size: vector.size_bytes, seed: vector.seed)
        if let first = vector.first_16_bytes_hex { #expect(Hex.encode(bytes.prefix(16)) == first) }
        // Fed in odd-sized pieces, so leaf boundaries fall inside updates.
        let tree = TreeHash(withLinear: true)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 333_333)
            tree.update(Array(bytes[offset..<end]))
            offset = end
        }
        let result = tree.finalize()
        #expect(result.treeHash == vector.tree_hash)
        #expect(result.sha256 == vector.sha256_linear)
        if let leaves = vector.leaf_hashes {
            let computed = stride(from: 0, to: bytes.count, by: TreeHash.chunkSize).map {
                Hex.encode(SHA256.hash(Array(bytes[$0..<min(bytes.count, $0 + TreeHash.chunkSize)])))
            }
            #expect(computed == leaves)
        }
        for multipart in vector.multipart ?? [] {
            let parts = stride(from: 0, to: bytes.count, by: multipart.part_size).map { start in
                let end = min(bytes.count, start + multipart.part_size)
                return (range: "bytes \(start)-\(end - 1)/*", hash: TreeHash.hash(Array(bytes[start..<end])))
            }
            #expect(parts.map(\.range) == multipart.parts.map(\.content_range))
            #expect(parts.map(\.hash) == multipart.parts.map(\.tree_hash))
            // The archive's hash is the tree reduction of the part hashes.
            let combined = Hex.encode(TreeHash.combine(parts.map { Hex.decode($0.hash)! }))
            #expect(combined == multipart.complete_request.treeHash)
            #expect(String(bytes.count) == multipart.complete_request.size)
        }
    }
}
