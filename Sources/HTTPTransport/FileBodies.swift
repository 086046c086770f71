#if canImport(Glibc)
    import Glibc
#endif

/// Streams a request body from a file, from `offset` for `length` bytes.
public final class FileBodySource: HTTPBodySource, @unchecked Sendable {
    private let descriptor: Int32
    private let start: Int64
    private let length: Int64
    private var sent: Int64 = 0

    /// Opens `path`; the source owns the descriptor until it is released.
    public init(path: String, offset: Int64 = 0, length: Int64? = nil) throws(HTTPError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HTTPError(.body, "cannot open \(path): errno \(errno)") }
        var info = stat()
        fstat(descriptor, &info)
        start = offset
        self.length = length ?? (Int64(info.st_size) - offset)
        guard offset >= 0, self.length >= 0, offset + self.length <= Int64(info.st_size) else {
            close(descriptor)
            throw HTTPError(.body, "\(path): range \(offset)+\(length ?? -1) outside its \(info.st_size) bytes")
        }
    }

    deinit { close(descriptor) }

    /// The body this source sends.
    public var body: HTTPRequestBody { .stream(length: length, source: self) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = Int(min(Int64(buffer.count), length - sent))
        guard want > 0 else { return 0 }
        let count = pread(descriptor, buffer.baseAddress, want, off_t(start + sent))
        guard count > 0 else { throw HTTPError(.body, "file read failed: errno \(errno)") }
        sent += Int64(count)
        return count
    }

    public func rewind() -> Bool {
        sent = 0
        return true
    }
}

/// Writes a response body to a file, replacing what it held.
public final class FileBodySink: HTTPBodySink, @unchecked Sendable {
    private let descriptor: Int32
    /// Bytes written so far.
    public private(set) var written: Int64 = 0

    /// Creates (or truncates) `path`.
    public init(path: String) throws(HTTPError) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HTTPError(.body, "cannot create \(path): errno \(errno)") }
    }

    deinit { close(descriptor) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            guard count > 0 else { throw HTTPError(.body, "file write failed: errno \(errno)") }
            offset += count
        }
        written += Int64(bytes.count)
    }

    public func reset() throws {
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw HTTPError(.body, "cannot truncate: errno \(errno)")
        }
        written = 0
    }

    /// Flushes the file to stable storage.
    public func sync() throws(HTTPError) {
        guard fsync(descriptor) == 0 else { throw HTTPError(.body, "fsync failed: errno \(errno)") }
    }
}
