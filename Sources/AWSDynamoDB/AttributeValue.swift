import FoundationEssentials

/// A DynamoDB item: attribute names to values.
public typealias DynamoDBItem = [String: AttributeValue]

/// One DynamoDB attribute value, in its wire form (`{"S": "…"}`, `{"N": "1"}`, …).
public enum AttributeValue: Sendable, Hashable, Codable {
    case s(String)
    /// A number, kept as DynamoDB's decimal string so no precision is lost.
    case n(String)
    case b([UInt8])
    case bool(Bool)
    case null
    case m([String: AttributeValue])
    case l([AttributeValue])
    case ss([String])
    case ns([String])
    case bs([[UInt8]])

    /// A number from an integer.
    public static func int(_ value: some BinaryInteger) -> AttributeValue { .n(String(value)) }

    /// The string, if this is `S`.
    public var string: String? { if case .s(let value) = self { value } else { nil } }
    /// The integer, if this is an integral `N`.
    public var int: Int? { if case .n(let value) = self { Int(value) } else { nil } }
    /// The Boolean, if this is `BOOL`.
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// The map, if this is `M`.
    public var map: [String: AttributeValue]? { if case .m(let value) = self { value } else { nil } }
    /// The list, if this is `L`.
    public var list: [AttributeValue]? { if case .l(let value) = self { value } else { nil } }

    private enum Key: String, CodingKey { case S, N, B, BOOL, NULL, M, L, SS, NS, BS }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected exactly one type key"))
        }
        switch key {
        case .S: self = .s(try container.decode(String.self, forKey: key))
        case .N: self = .n(try container.decode(String.self, forKey: key))
        case .B: self = .b(try Self.bytes(container.decode(String.self, forKey: key), decoder))
        case .BOOL: self = .bool(try container.decode(Bool.self, forKey: key))
        case .NULL: self = .null
        case .M: self = .m(try container.decode([String: AttributeValue].self, forKey: key))
        case .L: self = .l(try container.decode([AttributeValue].self, forKey: key))
        case .SS: self = .ss(try container.decode([String].self, forKey: key))
        case .NS: self = .ns(try container.decode([String].self, forKey: key))
        case .BS: self = .bs(try container.decode([String].self, forKey: key).map { try Self.bytes($0, decoder) })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .s(let value): try container.encode(value, forKey: .S)
        case .n(let value): try container.encode(value, forKey: .N)
        case .b(let value): try container.encode(Data(value).base64EncodedString(), forKey: .B)
        case .bool(let value): try container.encode(value, forKey: .BOOL)
        case .null: try container.encode(true, forKey: .NULL)
        case .m(let value): try container.encode(value, forKey: .M)
        case .l(let value): try container.encode(value, forKey: .L)
        case .ss(let value): try container.encode(value, forKey: .SS)
        case .ns(let value): try container.encode(value, forKey: .NS)
        case .bs(let value): try container.encode(value.map { Data($0).base64EncodedString() }, forKey: .BS)
        }
    }

    private static func bytes(_ base64: String, _ decoder: any Decoder) throws -> [UInt8] {
        guard let data = Data(base64Encoded: base64) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "B is not base64"))
        }
        return Array(data)
    }
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .s(value) }
    public init(integerLiteral value: Int) { self = .n(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
