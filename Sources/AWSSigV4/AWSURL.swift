/// A URL kept exactly as it goes on the wire: the path and query stay percent-encoded as given.
public struct AWSURL: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// Host name, lower case.
    public var host: String
    /// Explicit port, if any.
    public var port: Int?
    /// The encoded path: empty or starting with `/` (an empty path is sent as `/`).
    public var path: String
    /// Encoded query parameters in wire order; a parameter without `=` has an empty value.
    public var query: [(name: String, value: String)]

    /// Creates a URL from parts that are already encoded.
    public init(scheme: String, host: String, port: Int? = nil, path: String = "/", query: [(name: String, value: String)] = []) {
        self.scheme = scheme.lowercased()
        self.host = host.lowercased()
        self.port = port
        self.path = path
        self.query = query
    }

    /// Parses `scheme://host[:port][/path][?query]`; nil for anything else.
    public init?(string: String) {
        let scheme: String
        if string.lowercased().hasPrefix("https://") {
            scheme = "https"
        } else if string.lowercased().hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        var rest = string.dropFirst(scheme.count + 3)
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var host = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let value = Int(authority[authority.index(after: colon)...]), (1...65535).contains(value) else { return nil }
            port = value
            host = authority[..<colon]
        }
        guard !host.isEmpty else { return nil }
        let remainder = rest[authorityEnd...]
        let (pathPart, queryPart): (Substring, Substring?) =
            if let mark = remainder.firstIndex(of: "?") {
                (remainder[..<mark], remainder[remainder.index(after: mark)...])
            } else {
                (remainder, nil)
            }
        self.init(scheme: scheme, host: String(host), port: port, path: String(pathPart), query: Self.parseQuery(queryPart))
    }

    /// The port, or the scheme's default.
    public var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// The `Host` header value: host, plus `:port` only when it is not the scheme's default.
    public var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// `scheme://host[:port]`.
    public var origin: String { "\(scheme)://\(hostHeader)" }

    /// The encoded query string without `?`.
    public var queryString: String {
        query.map { $0.value.isEmpty && !$0.name.isEmpty ? $0.name : "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// The whole URL as sent.
    public var description: String {
        let path = path.isEmpty ? "/" : path
        return query.isEmpty ? origin + path : origin + path + "?" + queryString
    }

    /// Appends a query parameter, encoding name and value.
    public mutating func appendQuery(_ name: String, _ value: String) {
        query.append((URIEncoding.encode(name), URIEncoding.encode(value)))
    }

    public static func == (lhs: AWSURL, rhs: AWSURL) -> Bool { lhs.description == rhs.description }

    private static func parseQuery(_ raw: Substring?) -> [(name: String, value: String)] {
        guard let raw, !raw.isEmpty else { return [] }
        return raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
            }
            return (String(pair), "")
        }
    }
}
