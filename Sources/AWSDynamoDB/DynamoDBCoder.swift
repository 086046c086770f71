import AWSCore
import FoundationEssentials

/// Maps `Codable` values to DynamoDB items and back: strings to `S`, numbers to `N`, Booleans to
/// `BOOL`, nested structs to `M`, arrays to `L`; a nil optional is left out of the item.
public enum DynamoDBCoder {
    /// The item for `value`, which must encode as a keyed container.
    public static func encode(_ value: some Encodable) throws(AWSError) -> DynamoDBItem {
        let json: JSONValue
        do {
            json = try JSONValue.parse(Array(JSONEncoder().encode(value)))
        } catch {
            throw AWSError.invalidParameter("dynamodb", "item", "an encodable value (\(error))")
        }
        guard case .m(let item) = attribute(json) else {
            throw AWSError.invalidParameter("dynamodb", "item", "a value that encodes as an object")
        }
        return item
    }

    /// Decodes `type` from an item; a missing or mistyped attribute names itself in the error.
    public static func decode<T: Decodable>(_ type: T.Type, from item: DynamoDBItem) throws(AWSError) -> T {
        do {
            let bytes = try JSONEncoder().encode(json(.m(item)))
            return try JSONDecoder().decode(T.self, from: bytes)
        } catch let error as DecodingError {
            throw AWSError.malformed("dynamodb", "item does not match \(T.self): \(describe(error))")
        } catch {
            throw AWSError.malformed("dynamodb", "item does not match \(T.self): \(error)")
        }
    }

    static func attribute(_ json: JSONValue) -> AttributeValue {
        switch json {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .n(String(value))
        case .double(let value): .n(value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value))
        case .string(let value): .s(value)
        case .array(let values): .l(values.map(attribute))
        case .object(let members): .m(members.filter { $0.value != .null }.mapValues(attribute))
        }
    }

    static func json(_ attribute: AttributeValue) -> JSONValue {
        switch attribute {
        case .s(let value): .string(value)
        case .n(let value): Int64(value).map(JSONValue.int) ?? Double(value).map(JSONValue.double) ?? .string(value)
        case .b(let value): .string(Data(value).base64EncodedString())
        case .bool(let value): .bool(value)
        case .null: .null
        case .m(let members): .object(members.mapValues(json))
        case .l(let values): .array(values.map(json))
        case .ss(let values): .array(values.map(JSONValue.string))
        case .ns(let values): .array(values.map { json(.n($0)) })
        case .bs(let values): .array(values.map { .string(Data($0).base64EncodedString()) })
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context)
            return "missing attribute \(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)"
        case .typeMismatch(let type, let context): return "attribute \(path(context)) is not \(type)"
        case .valueNotFound(let type, let context): return "attribute \(path(context)) has no \(type)"
        case .dataCorrupted(let context): return "attribute \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
