/// A function's IAM policy as the template writes it, and whether it allows a call.
public struct IAMPolicy: Sendable, Equatable {
    /// One `Allow` statement: actions and resources with `*` wildcards, and its `StringLike`/`StringEquals`
    /// conditions on `s3:prefix` (the only condition key the functions' statements use).
    public struct Statement: Sendable, Equatable {
        public var actions: [String]
        public var resources: [String]
        public var prefixes: [String]?

        public init(actions: [String], resources: [String], prefixes: [String]? = nil) {
            self.actions = actions
            self.resources = resources
            self.prefixes = prefixes
        }
    }

    /// One AWS call as IAM evaluates it (a transaction is one call per item it touches).
    public struct Call: Sendable, Hashable, CustomStringConvertible {
        public var action: String
        public var resource: String
        /// `s3:prefix` of a listing.
        public var prefix: String?

        public init(action: String, resource: String, prefix: String? = nil) {
            self.action = action
            self.resource = resource
            self.prefix = prefix
        }

        public var description: String { "\(action) on \(resource)" + (prefix.map { " (prefix \($0))" } ?? "") }
    }

    public var statements: [Statement]

    public init(statements: [Statement]) { self.statements = statements }

    /// Whether a statement allows `call` (IAM's matching: case-insensitive actions, case-sensitive resources).
    public func allows(_ call: Call) -> Bool {
        statements.contains { statement in
            statement.actions.contains { Self.matches(call.action.lowercased(), $0.lowercased()) }
                && statement.resources.contains { Self.matches(call.resource, $0) }
                && (statement.prefixes.map { patterns in patterns.contains { Self.matches(call.prefix ?? "", $0) } } ?? true)
        }
    }

    /// The statements' actions no call in `calls` used (on any resource).
    public func unused(by calls: some Sequence<Call>) -> [String] {
        let used = Set(calls.map { $0.action.lowercased() })
        return statements.flatMap(\.actions).filter { action in !used.contains { Self.matches($0, action.lowercased()) } }
    }

    /// `*` matches any run of characters, `?` one.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        let text = Array(text.utf8), pattern = Array(pattern.utf8)
        var t = 0, p = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                t += 1
                p += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
