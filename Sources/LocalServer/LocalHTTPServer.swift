import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A small threaded HTTP/1.1 server on a loopback port, for the local stack (Runtime API, Lambda
/// Invoke API, the AWS endpoint in front of moto) and for tests that need a peer moto cannot be.
/// One thread per connection, keep-alive, Content-Length bodies; handlers may block (long polls).
public final class LocalHTTPServer: Sendable {
    /// A request as received.
    public struct Request: Sendable {
        public let method: String
        public let path: String
        public let headers: [String: String]
        public let body: [UInt8]

        /// A request as the server reads it (header names lower-cased).
        public init(method: String, path: String, headers: [String: String], body: [UInt8]) {
            self.method = method
            self.path = path
            self.headers = headers
            self.body = body
        }
    }

    /// A response to send.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Close the connection after this response (`Connection: close`).
        public var close = false
        /// Send the body with chunked transfer encoding, in pieces of this size.
        public var chunkSize: Int?
        /// Send exactly these bytes instead, then close (empty: drop the connection unanswered), for faults.
        public var raw: [UInt8]?

        public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public init(status: Int, headers: [(String, String)] = [], text: String) {
            self.init(status: status, headers: headers, body: Array(text.utf8))
        }
    }

    /// `http://127.0.0.1:PORT`.
    public let url: String
    /// The port it listens on.
    public let port: UInt16
    private let socket: Int32
    private let handler: @Sendable (Request) -> Response
    private let log = Mutex<[Request]>([])

    /// Starts serving on `port` (0: a free one); `handler` answers every request.
    public init(port: UInt16 = 0, handler: @escaping @Sendable (Request) -> Response) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        socket = fd
        self.port = UInt16(bigEndian: address.sin_port)
        url = "http://127.0.0.1:\(self.port)"
        self.handler = handler
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { close(socket) }

    /// Every request received so far.
    public var requests: [Request] { log.withLock { $0 } }

    private func acceptLoop() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 { return }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // Read the head.
            var headEnd: Int?
            while headEnd == nil {
                if let range = find([13, 10, 13, 10], in: buffer) { headEnd = range; break }
                let count = read(client, &chunk, chunk.count)
                if count <= 0 { return }
                buffer += chunk[0..<count]
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self).split(separator: "\r\n")
            buffer.removeFirst(headEnd! + 4)
            let requestLine = head.first?.split(separator: " ") ?? []
            guard requestLine.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < length {
                let count = read(client, &chunk, chunk.count)
                if count <= 0 { return }
                buffer += chunk[0..<count]
            }
            let request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: Array(buffer[0..<length]))
            buffer.removeFirst(length)
            log.withLock { $0.append(request) }
            let response = handler(request)
            if let raw = response.raw {
                _ = raw.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                return
            }
            var text = "HTTP/1.1 \(response.status) X\r\n"
            var payload = response.body
            if let size = response.chunkSize {
                text += "Transfer-Encoding: chunked\r\n"
                payload = []
                for start in stride(from: 0, to: response.body.count, by: size) {
                    let piece = response.body[start..<min(response.body.count, start + size)]
                    payload += Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Array("\r\n".utf8)
                }
                payload += Array("0\r\n\r\n".utf8)
            } else if request.method == "HEAD", response.headers.contains(where: { $0.0.lowercased() == "content-length" }) {
                // A HEAD answer names the length of the body a GET would send, and sends none.
                payload = []
            } else {
                text += "Content-Length: \(response.body.count)\r\n"
            }
            if response.close { text += "Connection: close\r\n" }
            for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
            let bytes = Array((text + "\r\n").utf8) + payload
            var sent = 0
            while sent < bytes.count {
                // MSG_NOSIGNAL: a peer that went away is an error here, not a SIGPIPE that kills the process.
                let count = bytes[sent...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count <= 0 { return }
                sent += count
            }
            if response.close { return }
        }
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
