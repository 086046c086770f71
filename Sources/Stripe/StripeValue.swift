import FoundationEssentials

/// A JSON value of a Stripe answer, read loosely (Stripe adds fields without notice).
public enum StripeValue: Sendable, Equatable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case object([String: StripeValue])
    case array([StripeValue])
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: StripeValue].self) {
            self = .object(value)
        } else {
            self = .array(try container.decode([StripeValue].self))
        }
    }

    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var object: [String: StripeValue]? { if case .object(let value) = self { value } else { nil } }
}
