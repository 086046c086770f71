/// An AWS shared `config` or `credentials` file: INI sections with keys, and indented sub-keys
/// (`s3 =` followed by `  endpoint_url = …` becomes `s3.endpoint_url`).
public struct ConfigFile: Sendable, Equatable {
    /// Section name (as written between brackets, trimmed) to its keys.
    public var sections: [String: [String: String]]

    /// Parses the file's text; lines that are neither sections, keys nor comments are ignored as the SDKs do.
    public init(text: String) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var parentKey: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let indented = rawLine.first == " " || rawLine.first == "\t"
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingWhitespace()
                if let current, sections[current] == nil { sections[current] = [:] }
                parentKey = nil
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingWhitespace().lowercased()
            var value = String(line[line.index(after: equals)...]).trimmingWhitespace()
            if let comment = value.inlineCommentStart() { value = String(value[..<comment]).trimmingWhitespace() }
            if indented, let parent = parentKey {
                sections[section]?["\(parent).\(key)"] = value
            } else {
                sections[section]?[key] = value
                parentKey = value.isEmpty ? key : nil
            }
        }
        self.sections = sections
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}

extension String {
    /// Start of a ` #` or ` ;` comment after a value.
    fileprivate func inlineCommentStart() -> String.Index? {
        var previous: Character = "x"
        for index in indices {
            let char = self[index]
            if (char == "#" || char == ";") && (previous == " " || previous == "\t") { return index }
            previous = char
        }
        return nil
    }
}
