/// An error that names its own Lambda `errorType`, so Step Functions `Retry`/`Catch` and callers
/// can match on a stable name rather than a Swift type name.
public protocol LambdaErrorType: Error {
    /// The `errorType` reported to Lambda (e.g. `Archive.UserUpgraded`).
    var errorType: String { get }
    /// The `errorMessage` reported to Lambda.
    var errorMessage: String { get }
}

extension LambdaErrorType {
    /// Defaults to the error's description.
    public var errorMessage: String { String(describing: self) }
}

/// The standard Lambda error document.
struct ErrorDocument {
    let errorType: String
    let errorMessage: String

    init(_ error: any Error) {
        if let typed = error as? any LambdaErrorType {
            errorType = typed.errorType
            errorMessage = typed.errorMessage
        } else {
            errorType = "Unhandled"
            errorMessage = "\(type(of: error)): \(error)"
        }
    }

    init(type: String, message: String) {
        errorType = type
        errorMessage = message
    }

    var json: [UInt8] {
        Array("{\"errorMessage\":\(JSONText.quote(errorMessage)),\"errorType\":\(JSONText.quote(errorType)),\"stackTrace\":[]}".utf8)
    }
}

/// JSON string literals without a JSONEncoder.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
