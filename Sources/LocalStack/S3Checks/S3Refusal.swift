import AWSCore
import Foundation
import LocalServer

/// A request S3 would refuse, rendered as S3's XML error document.
struct S3Refusal: Error, Equatable {
    let status: Int
    let code: String
    let message: String
    /// Further elements S3 adds for this error (`ProposedSize`, `Expires`, `StringToSign`, …), in order.
    var details: [(String, String)] = []

    static func == (lhs: S3Refusal, rhs: S3Refusal) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message
    }

    static func accessDenied(_ message: String = "Access Denied") -> S3Refusal { .init(status: 403, code: "AccessDenied", message: message) }

    static func policy(_ reason: String) -> S3Refusal { accessDenied("Invalid according to Policy: \(reason)") }

    static func invalidArgument(_ message: String, name: String, value: String) -> S3Refusal {
        .init(status: 400, code: "InvalidArgument", message: message, details: [("ArgumentName", name), ("ArgumentValue", value)])
    }

    static func queryParameters(_ message: String) -> S3Refusal {
        .init(status: 400, code: "AuthorizationQueryParametersError", message: message)
    }

    static func unknownKey(_ accessKeyID: String) -> S3Refusal {
        .init(
            status: 403, code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.",
            details: [("AWSAccessKeyId", accessKeyID)])
    }

    static func signatureMismatch(accessKeyID: String, stringToSign: String, provided: String, canonicalRequest: String? = nil) -> S3Refusal {
        var details = [("AWSAccessKeyId", accessKeyID), ("StringToSign", stringToSign), ("SignatureProvided", provided)]
        if let canonicalRequest { details.append(("CanonicalRequest", canonicalRequest)) }
        return .init(
            status: 403, code: "SignatureDoesNotMatch",
            message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            details: details)
    }

    /// The response S3 sends: `application/xml`, with a request id in the body and the headers.
    var response: LocalHTTPServer.Response {
        let requestID = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16))
        var document = XMLWriter()
        document.open("Error")
        for (name, text) in [("Code", code), ("Message", message)] + details + [("RequestId", requestID), ("HostId", "gas-local")] {
            document.element(name, text)
        }
        document.close("Error")
        return .init(status: status, headers: [("Content-Type", "application/xml"), ("x-amz-request-id", requestID)], body: document.bytes)
    }
}
