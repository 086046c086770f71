/// A parsed XML element: enough for AWS's REST-XML and query responses (no namespaces, no DTDs).
public struct XMLNode: Sendable, Equatable {
    /// Element name without namespace prefix.
    public var name: String
    /// Child elements in order.
    public var children: [XMLNode]
    /// Concatenated character data directly inside this element, entities decoded.
    public var text: String

    /// Creates an element.
    public init(name: String, children: [XMLNode] = [], text: String = "") {
        self.name = name
        self.children = children
        self.text = text
    }

    /// The first child with this name.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// Every child with this name.
    public func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The first element with this name anywhere below, depth first.
    public func descendant(_ name: String) -> XMLNode? {
        for child in children {
            if child.name == name { return child }
            if let found = child.descendant(name) { return found }
        }
        return nil
    }

    /// Parses a document and returns its root element.
    public static func parse(_ bytes: [UInt8]) throws(XMLParseError) -> XMLNode {
        var parser = XMLParser(bytes: bytes)
        return try parser.document()
    }
}

/// Why an XML document could not be read.
public struct XMLParseError: Error, Sendable, CustomStringConvertible {
    /// Byte offset of the problem.
    public let offset: Int
    /// What was wrong.
    public let reason: String

    public var description: String { "malformed XML at byte \(offset): \(reason)" }
}

private struct XMLParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(XMLParseError) -> XMLNode {
        skipMisc()
        guard peek("<") else { throw fail("expected a root element") }
        let root = try element()
        skipMisc()
        guard index == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// Skips white space, the XML declaration, processing instructions, comments and a doctype.
    mutating func skipMisc() {
        while true {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            if peek("<?") {
                skip(past: "?>")
            } else if peek("<!--") {
                skip(past: "-->")
            } else if peek("<!DOCTYPE") {
                skip(past: ">")
            } else {
                return
            }
        }
    }

    mutating func element() throws(XMLParseError) -> XMLNode {
        index += 1  // "<"
        let qualified = name()
        guard !qualified.isEmpty else { throw fail("expected an element name") }
        try attributes()
        var node = XMLNode(name: localName(qualified))
        if peek("/>") {
            index += 2
            return node
        }
        guard peek(">") else { throw fail("expected '>' after <\(qualified)") }
        index += 1
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw fail("unclosed element <\(qualified)>") }
            if peek("</") {
                index += 2
                let closing = name()
                guard closing == qualified else { throw fail("</\(closing)> closes <\(qualified)>") }
                while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                guard peek(">") else { throw fail("expected '>' in </\(closing)") }
                index += 1
                node.text = String(decoding: text, as: UTF8.self)
                return node
            } else if peek("<!--") {
                skip(past: "-->")
            } else if peek("<![CDATA[") {
                index += 9
                let start = index
                skip(past: "]]>")
                text += bytes[start..<max(start, index - 3)]
            } else if peek("<?") {
                skip(past: "?>")
            } else if peek("<") {
                node.children.append(try element())
            } else if peek("&") {
                text += try entity()
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
    }

    mutating func attributes() throws(XMLParseError) {
        while true {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { throw fail("unterminated tag") }
            if peek(">") || peek("/>") { return }
            guard !name().isEmpty else { throw fail("bad attribute") }
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard peek("=") else { throw fail("attribute without value") }
            index += 1
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw fail("unquoted attribute value")
            }
            let quote = bytes[index]
            index += 1
            while index < bytes.count, bytes[index] != quote { index += 1 }
            guard index < bytes.count else { throw fail("unterminated attribute value") }
            index += 1
        }
    }

    mutating func entity() throws(XMLParseError) -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ";"), index - start < 12 { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ";") else { throw fail("unterminated entity") }
        let body = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
        index += 1
        switch body {
        case "amp": return [UInt8(ascii: "&")]
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            let value: UInt32? =
                if body.hasPrefix("#x") { UInt32(body.dropFirst(2), radix: 16) } else if body.hasPrefix("#") {
                    UInt32(body.dropFirst())
                } else { nil }
            guard let value, let scalar = Unicode.Scalar(value) else { throw fail("unknown entity &\(body);") }
            return Array(String(Character(scalar)).utf8)
        }
    }

    mutating func name() -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") { break }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    func peek(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { Array($0) == Array(bytes[index..<index + count]) }
    }

    mutating func skip(past terminator: StaticString) {
        while index < bytes.count, !peek(terminator) { index += 1 }
        index = min(bytes.count, index + terminator.utf8CodeUnitCount)
    }

    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    func fail(_ reason: String) -> XMLParseError { XMLParseError(offset: index, reason: reason) }
}
