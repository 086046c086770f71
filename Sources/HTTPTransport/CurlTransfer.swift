import CCurl
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One exchange on a libcurl easy handle. Owned by the engine thread from submission to completion.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var bodyOffset = 0
    private var statusHeaders: [(name: String, value: String)] = []
    private var body: [UInt8] = []
    private var failure: HTTPError?
    private var sinkAccepts: Bool?
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    let cancelled = Atomic<Bool>(false)

    init(request: HTTPRequest, easy: UnsafeMutableRawPointer, continuation: CheckedContinuation<HTTPResponse, any Error>) {
        self.request = request
        self.easy = easy
        self.continuation = continuation
    }

    /// Sets every option; false (with the failure recorded for `finish`) when libcurl refuses one.
    func configure() -> Bool {
        let context = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = []
        codes.append(gas_curl_setopt_string(easy, CURLOPT_URL, request.url))
        codes.append(gas_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        if let caFile = CABundle.path { codes.append(gas_curl_setopt_string(easy, CURLOPT_CAINFO, caFile)) }
        codes.append(gas_curl_setopt_long(easy, CURLOPT_TCP_NODELAY, 1))
        codes.append(gas_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000)))
        codes.append(gas_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int((request.totalTimeout ?? 0) * 1000)))
        if let stall = request.stallTimeout {
            // Less than one byte a second for `stall` seconds: the connection is dead, whatever the body's size.
            codes.append(gas_curl_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1))
            codes.append(gas_curl_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, max(1, Int(stall.rounded(.up)))))
        }
        // TCP keep-alive probes find a peer that vanished while a long body or a server-side copy is quiet.
        codes.append(gas_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        codes.append(gas_curl_setopt_long(easy, CURLOPT_TCP_KEEPIDLE, 15))
        codes.append(gas_curl_setopt_long(easy, CURLOPT_TCP_KEEPINTVL, 15))
        codes.append(gas_curl_setopt_pointer(easy, CURLOPT_PRIVATE, context))
        codes.append(gas_curl_setopt_write(easy, curlWrite))
        codes.append(gas_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        codes.append(gas_curl_setopt_header(easy, curlHeader))
        codes.append(gas_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
        codes.append(gas_curl_setopt_xferinfo(easy, curlProgress))
        codes.append(gas_curl_setopt_pointer(easy, CURLOPT_XFERINFODATA, context))
        codes.append(gas_curl_setopt_long(easy, CURLOPT_NOPROGRESS, 0))

        let method = request.method.uppercased()
        switch method {
        case "GET": codes.append(gas_curl_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case "HEAD": codes.append(gas_curl_setopt_long(easy, CURLOPT_NOBODY, 1))
        default:
            codes.append(gas_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method))
        }
        // Every body-carrying method sends an exact Content-Length (S3 refuses chunked uploads).
        if method == "PUT" || method == "POST" || method == "PATCH" || request.body.length > 0 {
            codes.append(gas_curl_setopt_long(easy, CURLOPT_UPLOAD, 1))
            codes.append(gas_curl_setopt_off(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.length)))
            codes.append(gas_curl_setopt_read(easy, curlRead))
            codes.append(gas_curl_setopt_pointer(easy, CURLOPT_READDATA, context))
            // Lets libcurl send the body again on a fresh connection when a reused one was closed under it.
            codes.append(gas_curl_setopt_seek(easy, curlSeek))
            codes.append(gas_curl_setopt_pointer(easy, CURLOPT_SEEKDATA, context))
        }

        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers {
            list = curl_slist_append(list, value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // No 100-continue round trip, and no Accept or Transfer-Encoding that nobody signed.
        for header in ["Expect:", "Accept:", "Transfer-Encoding:"] where request.header(String(header.dropLast())) == nil {
            list = curl_slist_append(list, header)
        }
        headerList = list
        codes.append(gas_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, list))
        if let bad = codes.first(where: { $0 != CURLE_OK }) {
            failure = HTTPError(.local, "libcurl refused an option: \(String(cString: curl_easy_strerror(bad)))")
            return false
        }
        return true
    }

    /// Completes the exchange with libcurl's result and frees what it allocated.
    func finish(_ code: CURLcode) {
        curl_slist_free_all(headerList)
        headerList = nil
        let result: Result<HTTPResponse, any Error>
        if let failure {
            result = .failure(failure)
        } else if code == CURLE_OK {
            var status = 0
            _ = gas_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            result = .success(HTTPResponse(status: status, headers: statusHeaders, body: body))
        } else {
            result = .failure(Self.error(for: code, cancelled: cancelled.load(ordering: .relaxed), url: request.url))
        }
        continuation?.resume(with: result)
        continuation = nil
    }

    static func error(for code: CURLcode, cancelled: Bool, url: String) -> HTTPError {
        let message = String(cString: curl_easy_strerror(code))
        switch code {
        case _ where cancelled: return HTTPError(.cancelled, "request cancelled")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPError(.connect, message)
        case CURLE_OPERATION_TIMEDOUT: return HTTPError(.timeout, message)
        // Our own mistakes: the request never left, and sending it again cannot help. (libcurl
        // also says "unsupported protocol" for a garbled status line: that one came off the wire.)
        case CURLE_UNSUPPORTED_PROTOCOL where !url.hasPrefix("http://") && !url.hasPrefix("https://"):
            return HTTPError(.local, message)
        case CURLE_URL_MALFORMAT, CURLE_FAILED_INIT, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT,
            CURLE_UNKNOWN_OPTION, CURLE_OUT_OF_MEMORY:
            return HTTPError(.local, message)
        // Everything else happened on the wire (a reset, a garbled status line, a truncated or
        // undecodable answer): the request may not have arrived, or its answer could not be read.
        default: return HTTPError(.connectionLost, message)
        }
    }

    /// Moves the request body back to `offset` for a resend; false when the body cannot go there.
    fileprivate func seekBody(to offset: Int64) -> Bool {
        switch request.body {
        case .empty: return offset == 0
        case .bytes(let bytes):
            guard offset >= 0, offset <= Int64(bytes.count) else { return false }
            bodyOffset = Int(offset)
            return true
        case .stream(_, let source): return offset == 0 && source.rewind()
        }
    }

    // MARK: libcurl callbacks (engine thread)

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self).trimmingSuffix()
        if text.hasPrefix("HTTP/") {
            statusHeaders.removeAll()
            sinkAccepts = nil  // a new response (after 100 Continue or a redirect)
        } else if let colon = text.firstIndex(of: ":") {
            let value = text[text.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
            statusHeaders.append((String(text[..<colon]), String(value)))
        }
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if sinkAccepts == nil {
            // Only a successful response's body goes to the sink; an error body stays in memory for decoding.
            var status = 0
            _ = gas_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            sinkAccepts = request.responseSink != nil && (200..<300).contains(status)
        }
        if sinkAccepts == true, let sink = request.responseSink {
            do {
                try sink.write(bytes)
            } catch {
                failure = HTTPError(.body, "response sink failed: \(error)")
                return false
            }
            return true
        }
        guard body.count + bytes.count <= request.maxBufferedResponse else {
            failure = HTTPError(.responseTooLarge, "response body exceeds \(request.maxBufferedResponse) bytes")
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func sendBody(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        switch request.body {
        case .empty: return 0
        case .bytes(let bytes):
            let count = min(buffer.count, bytes.count - bodyOffset)
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[bodyOffset..<bodyOffset + count]))
            }
            bodyOffset += count
            return count
        case .stream(_, let source):
            do {
                return try source.read(into: buffer)
            } catch {
                failure = HTTPError(.body, "request body source failed: \(error)")
                return nil
            }
        }
    }
}

extension String {
    /// Drops trailing CR, LF and spaces (bytewise: "\r\n" is one Character).
    fileprivate func trimmingSuffix() -> String {
        var bytes = Substring(self).utf8
        while let last = bytes.last, last == 0x0D || last == 0x0A || last == 0x20 { bytes = bytes.dropLast() }
        return String(Substring(bytes))
    }
}

private func transfer(_ pointer: UnsafeMutableRawPointer?) -> CurlTransfer {
    Unmanaged<CurlTransfer>.fromOpaque(pointer!).takeUnretainedValue()
}

private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    return transfer(context).receiveBody(bytes) ? size * count : 0
}

private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    transfer(context).receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private let curlRead: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let buffer = UnsafeMutableRawBufferPointer(start: data, count: size * count)
    return transfer(context).sendBody(into: buffer) ?? Int(CURL_READFUNC_ABORT)
}

private let curlSeek: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, Int32) -> Int32 = { context, offset, origin in
    guard origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
    return transfer(context).seekBody(to: Int64(offset)) ? Int32(CURL_SEEKFUNC_OK) : Int32(CURL_SEEKFUNC_CANTSEEK)
}

private let curlProgress: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = {
    context, _, _, _, _ in
    transfer(context).cancelled.load(ordering: .relaxed) ? 1 : 0
}
