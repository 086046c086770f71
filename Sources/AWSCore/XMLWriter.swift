/// Builds small XML request bodies (S3 multipart completion, restore requests, notifications).
public struct XMLWriter: Sendable {
    private var output = #"<?xml version="1.0" encoding="UTF-8"?>"#

    /// Starts a document.
    public init() {}

    /// Opens `<name>` with an optional `xmlns`.
    public mutating func open(_ name: String, namespace: String? = nil) {
        output += namespace.map { "<\(name) xmlns=\"\(Self.escape($0))\">" } ?? "<\(name)>"
    }

    /// Closes `</name>`.
    public mutating func close(_ name: String) { output += "</\(name)>" }

    /// Writes `<name>text</name>`.
    public mutating func element(_ name: String, _ text: String) { output += "<\(name)>\(Self.escape(text))</\(name)>" }

    /// The document's UTF-8 bytes.
    public var bytes: [UInt8] { Array(output.utf8) }

    /// Escapes the five XML special characters.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for char in text {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.append(char)
            }
        }
        return out
    }
}
