#if canImport(Glibc)
    import Glibc
#endif

/// Reads a file line by line in 1 MiB blocks; each line is handed over without its newline. A
/// gzip or bgzip file (told by its first bytes, whatever its name) is decompressed as it is read.
struct ByteLines {
    private let descriptor: Int32
    private let inflater: Inflater?
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var start = 0
    private var end = 0
    private var finished = false

    init(path: String) throws(AnnotationError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io("cannot open \(path) (errno \(errno))") }
        do {
            inflater = Inflater.isGzip(descriptor) ? try Inflater(descriptor: descriptor) : nil
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
    }

    func close() { _ = Glibc.close(descriptor) }

    /// Calls `body` with each line; stops early when it returns false.
    mutating func forEach(_ body: (ArraySlice<UInt8>) throws(AnnotationError) -> Void) throws(AnnotationError) {
        while true {
            if let newline = buffer[start..<end].firstIndex(of: 10) {
                var line = buffer[start..<newline]
                if line.last == 13 { line = line.dropLast() }
                start = newline + 1
                try body(line)
                continue
            }
            if finished {
                if start < end { try body(buffer[start..<end]) }
                return
            }
            if start > 0 {
                buffer.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: end - start) }
                end -= start
                start = 0
            }
            if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let count: Int
            if let inflater {
                let result = buffer.withUnsafeMutableBytes { bytes in
                    Result { () throws(AnnotationError) in try inflater.read(into: bytes.baseAddress! + end, capacity: bytes.count - end) }
                }
                count = try result.get()
            } else {
                count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + end, $0.count - end) }
            }
            if count < 0 { throw .io("read failed (errno \(errno))") }
            if count == 0 { finished = true } else { end += count }
        }
    }
}

/// Buffered writing of bytes to a file.
struct ByteWriter {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws(AnnotationError) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io("cannot create \(path) (errno \(errno))") }
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ bytes: some Sequence<UInt8>) throws(AnnotationError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func write(_ text: String) throws(AnnotationError) { try write(text.utf8) }

    mutating func flush() throws(AnnotationError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else { throw .io("write failed (errno \(errno))") }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Closes without writing what is buffered (the file is being thrown away).
    mutating func discard() {
        buffer.removeAll()
        _ = Glibc.close(descriptor)
    }

    mutating func close() throws(AnnotationError) {
        try flush()
        guard fsync(descriptor) == 0 || errno == EINVAL, Glibc.close(descriptor) == 0 else { throw .io("close failed (errno \(errno))") }
    }
}

/// Why annotation stopped.
public enum AnnotationError: Error, Equatable, CustomStringConvertible {
    /// The input is not valid VCF; `line` is 1-based.
    case invalidVCF(line: Int, reason: String)
    /// A reference file is malformed.
    case invalidReference(file: String, line: Int, reason: String)
    /// Reading or writing a file failed (a retry may pass).
    case io(String)
    /// The input's compression is broken (corrupt or truncated gzip): the file itself is bad.
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidVCF(let line, let reason): "invalid VCF at line \(line): \(reason)"
        case .invalidReference(let file, let line, let reason): "invalid reference \(file) at line \(line): \(reason)"
        case .io(let message): message
        case .invalidInput(let message): "invalid input: \(message)"
        }
    }
}
