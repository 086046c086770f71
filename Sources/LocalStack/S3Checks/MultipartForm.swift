import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `multipart/form-data` body (RFC 7578) split into its fields, as S3 reads a browser upload.
struct MultipartForm {
    /// One part: a named field, and for the file its file name and bytes.
    struct Part {
        let name: String
        let fileName: String?
        let contentType: String?
        let value: ArraySlice<UInt8>

        var text: String { String(decoding: value, as: UTF8.self) }
    }

    enum Malformed: Error, Equatable {
        case noBoundary
        case noFirstBoundary
        case unterminatedPart
        case noName
    }

    let parts: [Part]

    /// Splits `body` at the boundary named in `contentType`.
    init(body: [UInt8], contentType: String) throws(Malformed) {
        guard let boundary = Self.boundary(in: contentType) else { throw .noBoundary }
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard var cursor = Self.find(delimiter, in: body, from: 0) else { throw .noFirstBoundary }
        cursor += delimiter.count
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body.count >= cursor + 2, body[cursor] == UInt8(ascii: "-"), body[cursor + 1] == UInt8(ascii: "-") { break }
            guard body.count >= cursor + 2, body[cursor] == 13, body[cursor + 1] == 10 else { throw .unterminatedPart }
            cursor += 2
            guard let headEnd = Self.find([13, 10, 13, 10], in: body, from: cursor) else { throw .unterminatedPart }
            let head = String(decoding: body[cursor..<headEnd], as: UTF8.self)
            let start = headEnd + 4
            guard let end = Self.find(separator, in: body, from: start) else { throw .unterminatedPart }
            parts.append(try Self.part(head: head, value: body[start..<end]))
            cursor = end + separator.count
        }
        self.parts = parts
    }

    /// The first part named `name` (field names compare without case, as S3 does).
    func field(_ name: String) -> Part? { parts.first { $0.name.lowercased() == name.lowercased() } }

    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty || value.count > 70 ? nil : value
        }
        return nil
    }

    static func part(head: String, value: ArraySlice<UInt8>) throws(Malformed) -> Part {
        var name: String?
        var fileName: String?
        var contentType: String?
        for line in head.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let header = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let rest = String(line[line.index(after: colon)...])
            if header == "content-type" { contentType = rest.trimmingCharacters(in: .whitespaces) }
            guard header == "content-disposition" else { continue }
            for (key, parameter) in dispositionParameters(rest) {
                if key == "name" { name = parameter }
                if key == "filename" { fileName = parameter }
            }
        }
        guard let name else { throw .noName }
        return Part(name: name, fileName: fileName, contentType: contentType, value: value)
    }

    /// `form-data; name="a"; filename="b;c.vcf"`: the quoted parameters, with `\"` unescaped.
    static func dispositionParameters(_ text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var characters = Substring(text)
        while let equals = characters.firstIndex(of: "=") {
            let key = characters[..<equals].split(separator: ";").last?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            var rest = characters[characters.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                var index = rest.startIndex
                while index < rest.endIndex {
                    let character = rest[index]
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                    index = rest.index(after: index)
                }
                characters = index < rest.endIndex ? rest[rest.index(after: index)...] : rest[rest.endIndex...]
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                characters = rest[end...]
            }
            result.append((key, value))
        }
        return result
    }

    /// Where `needle` (not empty) first occurs in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard from >= 0, haystack.count - from >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                let last = hay.count - pin.count
                var index = from
                while index <= last {
                    // memchr finds candidates for the first byte; only those are compared in full.
                    guard let hit = memchr(hay.baseAddress! + index, Int32(pin[0]), last - index + 1) else { return nil }
                    index = hay.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(hay.baseAddress! + index, pin.baseAddress!, pin.count) == 0 { return index }
                    index += 1
                }
                return nil
            }
        }
    }
}
