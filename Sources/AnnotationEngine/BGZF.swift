import CZlib

#if canImport(Glibc)
    import Glibc
#endif

/// Bytes read at any offset: a local file, or an object read with ranged GETs.
public protocol RandomAccessBytes: Sendable {
    /// Up to `count` bytes from `offset` (fewer only at the end).
    func read(offset: Int, count: Int) throws(AnnotationError) -> [UInt8]
}

/// A local file read with `pread`.
public final class LocalFileBytes: RandomAccessBytes {
    private let descriptor: Int32
    public let path: String

    public init(path: String) throws(AnnotationError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io("cannot open \(path) (errno \(errno))") }
        self.path = path
    }

    deinit { _ = close(descriptor) }

    public func read(offset: Int, count: Int) throws(AnnotationError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset + filled)) }
            guard got >= 0 else { throw .io("read of \(path) failed (errno \(errno))") }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(count - filled)  // in place: no second copy of a large read
        return bytes
    }
}

/// BGZF, the blocked gzip of bgzip and tabix: a file of gzip members of at most 64 KiB each, so a
/// "virtual offset" (block offset << 16 | offset in the block) can start reading anywhere.
enum BGZF {
    /// One decompressed block and where the next one starts.
    struct Block {
        let data: [UInt8]
        let next: Int
    }

    /// The block at file `offset`; nil at the end of the file.
    static func block(at offset: Int, in source: any RandomAccessBytes, inflater: RawInflater) throws(AnnotationError) -> Block? {
        let header = try source.read(offset: offset, count: 18)
        guard !header.isEmpty else { return nil }
        guard header.count == 18, header[0] == 0x1f, header[1] == 0x8b, header[2] == 8, header[3] & 4 != 0 else {
            throw .io("not a BGZF block at byte \(offset) (bgzip the file: plain gzip cannot be indexed)")
        }
        let extraLength = Int(header[10]) | Int(header[11]) << 8
        let extra = extraLength <= 6 ? Array(header[12..<(12 + extraLength)]) : try source.read(offset: offset + 12, count: extraLength)
        // The BC subfield holds the block's size minus one.
        var cursor = 0, blockSize: Int?
        while cursor + 4 <= extra.count {
            let length = Int(extra[cursor + 2]) | Int(extra[cursor + 3]) << 8
            if extra[cursor] == 66, extra[cursor + 1] == 67, length == 2, cursor + 6 <= extra.count {
                blockSize = (Int(extra[cursor + 4]) | Int(extra[cursor + 5]) << 8) + 1
            }
            cursor += 4 + length
        }
        guard let blockSize, blockSize > 12 + extraLength + 8 else { throw .io("BGZF block at byte \(offset) has no size (BC) field") }
        let whole = try source.read(offset: offset, count: blockSize)
        guard whole.count == blockSize else { throw .io("BGZF block at byte \(offset) is cut short (a truncated file)") }
        let size = Int(whole[blockSize - 4]) | Int(whole[blockSize - 3]) << 8 | Int(whole[blockSize - 2]) << 16 | Int(whole[blockSize - 1]) << 24
        let data = try inflater.inflate(whole[(12 + extraLength)..<(blockSize - 8)], expected: size, at: offset)
        return Block(data: data, next: offset + blockSize)
    }

    /// A whole BGZF file (an index), decompressed.
    static func readAll(_ source: any RandomAccessBytes) throws(AnnotationError) -> [UInt8] {
        let inflater = try RawInflater()
        var bytes: [UInt8] = [], offset = 0
        while let block = try block(at: offset, in: source, inflater: inflater) {
            bytes += block.data
            offset = block.next
        }
        return bytes
    }
}

/// Inflates raw deflate data (one BGZF block at a time), reusing one zlib stream.
final class RawInflater {
    private let zlib: ZStream
    private var stream: z_streamp { zlib.pointer }

    init() throws(AnnotationError) { zlib = try ZStream(gas_inflate_init_raw, "deflate") }

    func inflate(_ compressed: ArraySlice<UInt8>, expected: Int, at offset: Int) throws(AnnotationError) -> [UInt8] {
        inflateReset(stream)
        var output = [UInt8](repeating: 0, count: expected)
        guard expected > 0 else { return [] }
        var input = Array(compressed)
        let status = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.pointee.next_in = inputBuffer.baseAddress
                stream.pointee.avail_in = UInt32(inputBuffer.count)
                stream.pointee.next_out = outputBuffer.baseAddress
                stream.pointee.avail_out = UInt32(outputBuffer.count)
                return CZlib.inflate(stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, stream.pointee.avail_out == 0 else {
            throw .io("the BGZF block at byte \(offset) is corrupt (zlib status \(status))")
        }
        return output
    }
}

/// Bytes already in memory (an index downloaded whole).
public struct MemoryBytes: RandomAccessBytes {
    let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(offset: Int, count: Int) throws(AnnotationError) -> [UInt8] {
        guard offset < bytes.count else { return [] }
        return Array(bytes[max(0, offset)..<min(bytes.count, offset + count)])
    }
}
