import AWSSigV4
import HTTPTransport
import Synchronization

/// A request body of `size` pattern bytes (the vectors' rule) made on the fly: nothing is held in memory.
public final class PatternSource: HTTPBodySource, @unchecked Sendable {
    private let size: Int
    private let seed: Int
    private var offset = 0
    /// Largest piece the transport asked for.
    public private(set) var largestRead = 0

    public init(size: Int, seed: Int) {
        self.size = size
        self.seed = seed
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, size - offset)
        for index in 0..<count { buffer[index] = UInt8(((offset + index) * 31 + seed) % 251) }
        offset += count
        largestRead = max(largestRead, count)
        return count
    }

    public func rewind() -> Bool {
        offset = 0
        return true
    }

    /// SHA-256 (hex) of the whole body, computed in pieces.
    public static func sha256(size: Int, seed: Int) -> String {
        let digest = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while offset < size {
            let count = min(chunk.count, size - offset)
            for index in 0..<count { chunk[index] = UInt8(((offset + index) * 31 + seed) % 251) }
            chunk.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += count
        }
        return Hex.encode(digest.finalize())
    }
}

/// A response sink that only hashes and counts what it is given.
public final class HashingSink: HTTPBodySink, @unchecked Sendable {
    private var digest = SHA256()
    public private(set) var count = 0
    /// Largest piece the transport delivered at once.
    public private(set) var largestWrite = 0

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        digest.update(bytes)
        count += bytes.count
        largestWrite = max(largestWrite, bytes.count)
    }

    public func reset() throws {
        digest = SHA256()
        count = 0
    }

    /// Hex SHA-256 of everything written.
    public func finish() -> String { Hex.encode(digest.finalize()) }
}

/// This process's peak resident set size in KiB (`VmHWM`), for benchmarks and reports.
public func peakResidentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

import Foundation
