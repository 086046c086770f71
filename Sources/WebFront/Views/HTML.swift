import HTTPTypes
import Hummingbird

/// A fragment of HTML. Interpolated strings and numbers are escaped; only other `HTML` values go in
/// as they are, so a view cannot forget to escape what it shows.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, ResponseGenerator {
    /// The markup.
    public private(set) var markup: String

    public init(stringLiteral value: String) { markup = value }
    public init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }
    init(raw markup: String) { self.markup = markup }

    public struct Interpolation: StringInterpolationProtocol {
        var markup = ""
        public init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { markup += literal }
        public mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        public mutating func appendInterpolation(_ text: Substring) { markup += HTML.escape(String(text)) }
        public mutating func appendInterpolation(_ number: Int) { markup += String(number) }
        public mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
        public mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { markup += part.markup } }
        public mutating func appendInterpolation(_ html: HTML?) { markup += html?.markup ?? "" }
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`, which makes text safe in element content and quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        HTML.page(markup, status: .ok)
    }

    /// A `text/html` response that is never cached (pages show per-user state).
    static func page(_ markup: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("X-Frame-Options")!: "DENY",
                HTTPField.Name("Referrer-Policy")!: "same-origin",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: markup)))
    }
}

/// A rendered page with its status.
struct Page: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var html: HTML

    func response(from request: Request, context: some RequestContext) throws -> Response {
        HTML.page(html.markup, status: status)
    }
}
