import Logging

/// The Runtime API's four calls over one kept-alive connection.
final class RuntimeAPIClient {
    /// A failure after which the process must end (a 500, or no Runtime API at all).
    struct Fatal: Error {
        let message: String
    }

    /// One event and its headers.
    struct Invocation {
        var requestID: String
        var deadlineMilliseconds: Int64
        var invokedFunctionARN: String
        var traceID: String?
        var clientContext: String?
        var cognitoIdentity: String?
        var tenantID: String?
        var event: [UInt8]
    }

    private let connection: RuntimeAPIConnection

    init(endpoint: String) throws(RuntimeAPIError) {
        connection = try RuntimeAPIConnection(endpoint: endpoint)
    }

    /// Waits (without timeout) for the next event. An event too large to take is reported as that
    /// invocation's error and the wait goes on.
    func next(logger: Logger) throws -> Invocation {
        while true {
            let response: RuntimeAPIConnection.Response
            do {
                response = try connection.exchange(method: "GET", path: "/2018-06-01/runtime/invocation/next")
            } catch RuntimeAPIError.oversized(let length, let requestID?) {
                logger.error("event too large; refused", metadata: ["requestId": "\(requestID)", "bytes": "\(length)"])
                try fail(
                    requestID: requestID,
                    ErrorDocument(type: "Runtime.EventTooLarge", message: "event of \(length) bytes exceeds \(RuntimeAPIConnection.maxBodyBytes)"),
                    logger: logger)
                continue
            } catch {
                throw Fatal(message: error.description)
            }
            guard response.status == 200 else {
                if response.status >= 500 { throw Fatal(message: "/next answered HTTP \(response.status)") }
                throw Fatal(message: "/next answered HTTP \(response.status): \(String(decoding: response.body.prefix(256), as: UTF8.self))")
            }
            guard let requestID = response.header("lambda-runtime-aws-request-id"), !requestID.isEmpty else {
                throw Fatal(message: "/next answered without Lambda-Runtime-Aws-Request-Id")
            }
            return Invocation(
                requestID: requestID,
                deadlineMilliseconds: Int64(response.header("lambda-runtime-deadline-ms") ?? "") ?? LambdaContext.nowMilliseconds() + 900_000,
                invokedFunctionARN: response.header("lambda-runtime-invoked-function-arn") ?? "",
                traceID: response.header("lambda-runtime-trace-id").nonEmpty,
                clientContext: response.header("lambda-runtime-client-context").nonEmpty,
                cognitoIdentity: response.header("lambda-runtime-cognito-identity").nonEmpty,
                tenantID: response.header("lambda-runtime-aws-tenant-id").nonEmpty,
                event: response.body)
        }
    }

    /// Delivers a result; a 413 turns into an error for the same invocation.
    func respond(requestID: String, body: [UInt8], logger: Logger) throws {
        let response = try exchange("POST", "/2018-06-01/runtime/invocation/\(Self.pathSegment(requestID))/response", body: body)
        switch response.status {
        case 202: return
        case 413:
            logger.error("response too large", metadata: ["bytes": "\(body.count)"])
            try fail(
                requestID: requestID,
                ErrorDocument(type: "Function.ResponseSizeTooLarge", message: "response of \(body.count) bytes exceeds the Runtime API's payload limit"),
                logger: logger)
        default: try check(response, "response", logger: logger)
        }
    }

    /// Reports a failed invocation.
    func fail(requestID: String, _ document: ErrorDocument, logger: Logger) throws {
        let response = try exchange(
            "POST", "/2018-06-01/runtime/invocation/\(Self.pathSegment(requestID))/error",
            headers: [("Lambda-Runtime-Function-Error-Type", document.errorType), ("Content-Type", "application/json")], body: document.json)
        if response.status != 202 { try check(response, "error", logger: logger) }
    }

    /// Reports a failed initialisation.
    func initError(_ document: ErrorDocument) throws {
        _ = try exchange(
            "POST", "/2018-06-01/runtime/init/error",
            headers: [("Lambda-Runtime-Function-Error-Type", document.errorType), ("Content-Type", "application/json")], body: document.json)
    }

    private func exchange(
        _ method: StaticString, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> RuntimeAPIConnection.Response {
        do {
            return try connection.exchange(method: method, path: path, headers: headers, body: body)
        } catch {
            throw Fatal(message: error.description)
        }
    }

    /// `value` percent-encoded as one path segment (everything but RFC 3986's unreserved characters).
    static func pathSegment(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                encoded += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return encoded
    }

    /// 400 (stale id) and 403 (wrong state) concern one invocation only: log and go on; 5xx is fatal.
    private func check(_ response: RuntimeAPIConnection.Response, _ call: String, logger: Logger) throws {
        let detail = String(decoding: response.body.prefix(512), as: UTF8.self)
        if response.status >= 500 { throw Fatal(message: "/\(call) answered HTTP \(response.status): \(detail)") }
        logger.warning("Runtime API refused the \(call)", metadata: ["status": "\(response.status)", "body": "\(detail)"])
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
