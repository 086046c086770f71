import FoundationEssentials
import HTTPTransport

extension AWSError {
    /// Decodes the error of a failed response from whichever wire format it uses.
    public static func decode(_ response: HTTPResponse, service: String) -> AWSError {
        let requestID =
            response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id") ?? response.header("x-amzn-request-id")
        var code = response.header("x-amzn-ErrorType").map(Self.cleanCode)
        var message: String?
        var details: String?
        let body = response.body
        let first = body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "{"), let object = try? JSONValue.parse(body).objectValue {
            code = (object["__type"]?.stringValue ?? object["code"]?.stringValue ?? object["Code"]?.stringValue)
                .map(Self.cleanCode) ?? code
            message = object["message"]?.stringValue ?? object["Message"]?.stringValue ?? object["errorMessage"]?.stringValue
            let extra = object.filter { !["__type", "message", "Message", "code", "Code"].contains($0.key) }
            if !extra.isEmpty { details = JSONValue.object(extra).serialized() }
        } else if first == UInt8(ascii: "<"), let root = try? XMLNode.parse(body) {
            // S3: <Error>; query APIs: <ErrorResponse><Error>; some: <Response><Errors><Error>.
            let error = root.name == "Error" ? root : root.descendant("Error")
            code = error?.child("Code")?.text ?? code
            message = error?.child("Message")?.text
            let id = root.child("RequestId")?.text ?? error?.child("RequestId")?.text ?? root.child("RequestID")?.text
            var decoded = AWSError(
                service: service, code: code ?? statusCode(response.status), message: message ?? "",
                status: response.status, requestID: requestID ?? id, details: details)
            decoded.retryAfter = retryAfter(response)
            return decoded
        }
        var error = AWSError(
            service: service, code: code ?? statusCode(response.status),
            message: message ?? (body.isEmpty ? "HTTP \(response.status) with no body" : String(decoding: body.prefix(512), as: UTF8.self)),
            status: response.status, requestID: requestID, details: details)
        error.retryAfter = retryAfter(response)
        return error
    }

    /// `Retry-After` in seconds (the HTTP-date form is not used by AWS).
    static func retryAfter(_ response: HTTPResponse) -> Double? {
        response.header("Retry-After").flatMap { Double($0.filter { $0 != " " }) }.flatMap { $0 >= 0 ? $0 : nil }
    }

    /// `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` and
    /// `ValidationException:http://…` both become the bare code.
    static func cleanCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code)
    }

    /// The code for a body-less error response (HEAD requests carry no body).
    static func statusCode(_ status: Int) -> String {
        switch status {
        case 304: "NotModified"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 409: "Conflict"
        case 412: "PreconditionFailed"
        case 416: "InvalidRange"
        case 429: "TooManyRequestsException"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }
}
