#if canImport(Glibc)
    import Glibc
#endif

/// One persistent HTTP/1.1 connection to the Runtime API, with blocking I/O on the calling thread.
///
/// The Runtime API is plain HTTP on loopback and the runtime handles one invocation at a time, so a
/// socket and a hand-written HTTP/1.1 exchange replace libcurl here: loading libcurl and its 34
/// shared libraries costs about 6 ms of cold start and ~48 us of CPU per request (see README).
final class RuntimeAPIConnection {
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.count == name.count && $0.name.lowercased() == name }?.value
        }
    }

    /// Largest response head read: a header line of megabytes is an attack or a bug, not an event.
    static let maxHeadBytes = 64 * 1024
    /// Largest body read (events are at most 6 MB; Lambda's invoke payload limit).
    static let maxBodyBytes = 16 << 20

    let host: String
    let port: String
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []
    private var start = 0
    private var end = 0
    private var head: [UInt8] = []

    /// `endpoint` is `host:port` as in `AWS_LAMBDA_RUNTIME_API`.
    init(endpoint: String) throws(RuntimeAPIError) {
        guard let colon = endpoint.lastIndex(of: ":"), colon != endpoint.startIndex,
            let number = Int(endpoint[endpoint.index(after: colon)...]), (1...65535).contains(number)
        else {
            throw RuntimeAPIError.badEndpoint(endpoint)
        }
        host = String(endpoint[..<colon]).trimmingBrackets()
        port = String(endpoint[endpoint.index(after: colon)...])
        buffer = [UInt8](repeating: 0, count: 64 * 1024)
        head.reserveCapacity(512)
    }

    deinit { if socket >= 0 { close(socket) } }

    /// Sends a request and reads the whole response. It is sent again (once, on a new connection)
    /// only when that cannot make the server act twice: a GET, or a request not fully written.
    /// Before a POST on a kept-alive connection, a peer that closed it while idle is noticed.
    func exchange(method: StaticString, path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws(RuntimeAPIError) -> Response {
        let isGet = method.utf8Start.pointee == UInt8(ascii: "G")
        if socket >= 0 && !isGet && peerClosed() { disconnect() }
        var attempts = 0
        while true {
            attempts += 1
            var written = false
            do {
                if socket < 0 { try connect() }
                try send(method: method, path: path, headers: headers, body: body)
                written = true
                return try receive()
            } catch let error where attempts == 1 && error.isConnectionReset && (isGet || !written) {
                disconnect()
            }
        }
    }

    /// Whether the peer closed (or wrote unasked to) the idle connection.
    private func peerClosed() -> Bool {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) > 0 else { return false }
        var byte: UInt8 = 0
        let count = recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return count >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
    }

    private func connect() throws(RuntimeAPIError) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &list) == 0, let first = list else { throw .connect("cannot resolve \(host):\(port)") }
        defer { freeaddrinfo(list) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            let fd = Glibc.socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
            if fd >= 0 {
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    var one: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    socket = fd
                    start = 0
                    end = 0
                    return
                }
                close(fd)
            }
            candidate = info.pointee.ai_next
        }
        throw .connect("cannot connect to \(host):\(port): errno \(errno)")
    }

    private func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
        start = 0
        end = 0
    }

    private func send(method: StaticString, path: String, headers: [(String, String)], body: [UInt8]) throws(RuntimeAPIError) {
        head.removeAll(keepingCapacity: true)
        head.append(contentsOf: UnsafeRawBufferPointer(start: method.utf8Start, count: method.utf8CodeUnitCount))
        head.append(0x20)
        head.append(contentsOf: path.utf8)
        head.append(contentsOf: " HTTP/1.1\r\nHost: ".utf8)
        head.append(contentsOf: host.utf8)
        head.append(contentsOf: "\r\nUser-Agent: gas-lambda-runtime/1\r\n".utf8)
        for (name, value) in headers {
            head.append(contentsOf: name.utf8)
            head.append(contentsOf: ": ".utf8)
            head.append(contentsOf: value.utf8)
            head.append(contentsOf: "\r\n".utf8)
        }
        if method.utf8Start.pointee == UInt8(ascii: "P") {
            head.append(contentsOf: "Content-Length: ".utf8)
            head.append(contentsOf: String(body.count).utf8)
            head.append(contentsOf: "\r\n".utf8)
        }
        head.append(contentsOf: "\r\n".utf8)
        let failure = head.withUnsafeBytes { headBytes in
            body.withUnsafeBytes { bodyBytes in writeAll(headBytes, bodyBytes) }
        }
        if let failure { throw failure }
    }

    /// Writes both buffers; answers the failure, if any.
    private func writeAll(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> RuntimeAPIError? {
        var vectors = [
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count),
        ]
        var remaining = first.count + second.count
        var index = 0
        while remaining > 0 {
            // sendmsg with MSG_NOSIGNAL: a reset connection is an error to report, not a SIGPIPE that kills the runtime.
            let written = vectors.withUnsafeMutableBufferPointer { pointer -> Int in
                var message = msghdr()
                message.msg_iov = pointer.baseAddress! + index
                message.msg_iovlen = 2 - index
                return sendmsg(socket, &message, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return .connectionLost("write failed: errno \(errno)")
            }
            remaining -= written
            var consumed = written
            while index < 2, consumed >= vectors[index].iov_len {
                consumed -= vectors[index].iov_len
                index += 1
            }
            if index < 2, consumed > 0 {
                vectors[index].iov_base = vectors[index].iov_base! + consumed
                vectors[index].iov_len -= consumed
            }
        }
        return nil
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws(RuntimeAPIError) -> Bool {
        if start > 0 && start == end {
            start = 0
            end = 0
        }
        if end == buffer.count {
            if start > 0 {
                buffer.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: end - start) }
                end -= start
                start = 0
            } else {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(socket, $0.baseAddress! + end, $0.count - end) }
            if count > 0 {
                end += count
                return true
            }
            if count == 0 { return false }
            if errno == EINTR { continue }
            throw .connectionLost("read failed: errno \(errno)")
        }
    }

    private func receive() throws(RuntimeAPIError) -> Response {
        // Head: up to the blank line.
        var headEnd: Int?
        var scanned = 0  // bytes after `start` already searched (fill may move `start`)
        while headEnd == nil {
            headEnd = buffer.withUnsafeBytes { bytes -> Int? in
                var index = start + max(0, scanned - 3)
                while index + 3 < end {
                    if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 { return index }
                    index += 1
                }
                return nil
            }
            if headEnd == nil {
                scanned = end - start
                guard scanned <= Self.maxHeadBytes else {
                    disconnect()
                    throw .protocolError("response head exceeds \(Self.maxHeadBytes) bytes")
                }
                guard try fill() else { throw .connectionLost("connection closed before the response head") }
            }
        }
        let headText = String(decoding: buffer[start..<headEnd!], as: UTF8.self)
        start = headEnd! + 4
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let statusLine = lines.popFirst(), statusLine.hasPrefix("HTTP/1."),
            let status = Int(statusLine.split(separator: " ", maxSplits: 2).dropFirst().first ?? "")
        else { throw .protocolError("bad status line") }
        var headers: [(name: String, value: String)] = []
        var contentLength: Int?
        var chunked = false
        var closes = false
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" }))
            switch name.lowercased() {
            case "content-length":
                guard let length = Int(value), length >= 0, contentLength == nil || contentLength == length else {
                    disconnect()
                    throw .protocolError("Content-Length: expected one byte count, got \(value.prefix(40))")
                }
                contentLength = length
            case "transfer-encoding": chunked = value.lowercased().contains("chunked")
            case "connection": closes = value.lowercased() == "close"
            default: headers.append((name, value))
            }
        }
        let requestID = headers.first { $0.name.lowercased() == "lambda-runtime-aws-request-id" }?.value
        let body: [UInt8]
        do throws(RuntimeAPIError) {
            if chunked {
                body = try readChunked()
            } else if let contentLength {
                guard contentLength <= Self.maxBodyBytes else { throw RuntimeAPIError.oversized(length: contentLength, requestID: nil) }
                body = try readBody(length: contentLength)
            } else if status == 204 || status == 304 || (100..<200).contains(status) {
                body = []
            } else {
                // Neither a length nor chunks: the body runs to the end of the connection (RFC 9112 §6.3).
                body = try readToEnd()
                closes = true
            }
        } catch {
            disconnect()
            if case .oversized(let length, _) = error { throw .oversized(length: length, requestID: requestID) }
            throw error
        }
        if closes { disconnect() }
        return Response(status: status, headers: headers, body: body)
    }

    private func readBody(length: Int) throws(RuntimeAPIError) -> [UInt8] {
        guard length > 0 else { return [] }
        let buffered = min(length, end - start)
        var failure: RuntimeAPIError?
        let body = [UInt8](unsafeUninitializedCapacity: length) { storage, initialized in
            let target = UnsafeMutableRawBufferPointer(storage)
            buffer.withUnsafeBytes { target.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: buffered) }
            var have = buffered
            while have < length {
                let count = Glibc.read(socket, target.baseAddress! + have, length - have)
                if count > 0 {
                    have += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    failure = .connectionLost("connection closed after \(have) of \(length) body bytes")
                    break
                }
            }
            initialized = have
        }
        start += buffered
        if let failure { throw failure }
        return body
    }

    private func readToEnd() throws(RuntimeAPIError) -> [UInt8] {
        while try fill() {
            if end - start > Self.maxBodyBytes { throw .oversized(length: end - start, requestID: nil) }
        }
        defer { start = end }
        return Array(buffer[start..<end])
    }

    private func readChunked() throws(RuntimeAPIError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine()
            guard let size = Int(line.split(separator: ";").first ?? "", radix: 16), size >= 0 else { throw .protocolError("bad chunk size") }
            guard size <= Self.maxBodyBytes - body.count else { throw .oversized(length: body.count + size, requestID: nil) }
            if size == 0 {
                while try !readLine().isEmpty {}  // trailers
                return body
            }
            body += try readBody(length: size)
            guard try readLine().isEmpty else { throw .protocolError("chunk not followed by CRLF") }
        }
    }

    private func readLine() throws(RuntimeAPIError) -> String {
        while true {
            if let newline = buffer[start..<end].firstIndex(of: 10) {
                let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            guard end - start <= Self.maxHeadBytes else { throw .protocolError("chunk line exceeds \(Self.maxHeadBytes) bytes") }
            guard try fill() else { throw .connectionLost("connection closed inside a chunked body") }
        }
    }
}

extension String {
    fileprivate func trimmingBrackets() -> String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
