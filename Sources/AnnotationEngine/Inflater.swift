import CZlib

#if canImport(Glibc)
    import Glibc
#endif

/// Decompresses a gzip file as it is read: one member or many (bgzip writes a file as a series of
/// members of at most 64 KiB each, ending with an empty one). Bytes after the last member that do
/// not start another are ignored, as gzip does.
final class Inflater {
    private let descriptor: Int32
    private let zlib: ZStream
    private var stream: z_streamp { zlib.pointer }
    private var input = [UInt8](repeating: 0, count: 1 << 16)
    private var inputFinished = false
    private var memberEnded = false
    private var done = false
    /// Compressed bytes read so far (for errors).
    private var consumed = 0

    init(descriptor: Int32) throws(AnnotationError) {
        self.descriptor = descriptor
        zlib = try ZStream(gas_inflate_init_gzip, "gzip")
    }

    /// Whether the file starts with gzip's magic bytes (read at offset 0, the file position unchanged).
    static func isGzip(_ descriptor: Int32) -> Bool {
        var magic: [UInt8] = [0, 0]
        return pread(descriptor, &magic, 2, 0) == 2 && magic == [0x1f, 0x8b]
    }

    /// Fills up to `capacity` bytes at `destination` with decompressed data; 0 at the end.
    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws(AnnotationError) -> Int {
        while !done {
            if stream.pointee.avail_in == 0 && !inputFinished { try refill() }
            if memberEnded {
                // Another member follows, or the file ends (trailing bytes that are not gzip are ignored).
                guard stream.pointee.avail_in > 0 else {
                    done = true
                    break
                }
                guard stream.pointee.next_in.pointee == 0x1f else {
                    done = true
                    break
                }
                inflateReset(stream)
                memberEnded = false
            }
            stream.pointee.next_out = destination.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(min(capacity, Int(UInt32.max)))
            let before = stream.pointee.avail_in
            let status = inflate(stream, Z_NO_FLUSH)
            consumed += Int(before - stream.pointee.avail_in)
            let produced = capacity - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END: memberEnded = true
            case Z_OK, Z_BUF_ERROR: break
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .invalidInput("the gzip data is corrupt near compressed byte \(consumed) (zlib: \(reason))")
            }
            if produced > 0 { return produced }
            if inputFinished && stream.pointee.avail_in == 0 && !memberEnded {
                throw .invalidInput("the gzip data ends early, after \(consumed) compressed bytes (a truncated file)")
            }
        }
        return 0
    }

    private func refill() throws(AnnotationError) {
        let count = input.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw .io("read failed (errno \(errno))") }
        if count == 0 {
            inputFinished = true
            return
        }
        // `input` is not resized while the stream points into it.
        stream.pointee.next_in = input.withUnsafeMutableBufferPointer { $0.baseAddress }
        stream.pointee.avail_in = UInt32(count)
    }
}

/// A zlib inflate stream at a fixed address (zlib keeps a pointer back to it), ended with its owner.
final class ZStream {
    let pointer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    /// Starts the stream with `start` (`gas_inflate_init_gzip` or `gas_inflate_init_raw`); `kind` names it in errors.
    init(_ start: (z_streamp) -> Int32, _ kind: String) throws(AnnotationError) {
        pointer.initialize(to: z_stream())
        guard start(pointer) == Z_OK else {
            pointer.deallocate()
            throw .io("cannot start \(kind) decompression")
        }
    }

    deinit {
        inflateEnd(pointer)
        pointer.deallocate()
    }
}
