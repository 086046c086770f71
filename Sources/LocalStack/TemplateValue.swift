import Yams

/// A CloudFormation template value; short-form intrinsics (`!Ref X`, `!GetAtt A.B`, `!Sub …`) are
/// normalised to their long form (`{"Ref": X}`, `{"Fn::GetAtt": [A, B]}`, `{"Fn::Sub": …}`).
indirect enum TemplateValue: Equatable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case list([TemplateValue])
    case map([(key: String, value: TemplateValue)])

    static func == (lhs: TemplateValue, rhs: TemplateValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.list(let a), .list(let b)): a == b
        case (.map(let a), .map(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    subscript(key: String) -> TemplateValue? {
        guard case .map(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var list: [TemplateValue]? { if case .list(let value) = self { value } else { nil } }
    var members: [(key: String, value: TemplateValue)] { if case .map(let value) = self { value } else { [] } }

    /// Converts a parsed YAML node.
    init(_ node: Node) throws(StackError) {
        let tag = node.tag.description
        var plain: TemplateValue
        switch node {
        case .scalar(let scalar):
            if tag.hasPrefix("!") {
                plain = .string(scalar.string)
            } else if scalar.style == .plain {
                switch scalar.string {
                case "true", "True", "TRUE": plain = .bool(true)
                case "false", "False", "FALSE": plain = .bool(false)
                case "null", "~", "": plain = .null
                default: plain = Double(scalar.string).map(TemplateValue.number) ?? .string(scalar.string)
                }
            } else {
                plain = .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [TemplateValue] = []
            for item in sequence { items.append(try TemplateValue(item)) }
            plain = .list(items)
        case .mapping(let mapping):
            var members: [(key: String, value: TemplateValue)] = []
            for (key, value) in mapping {
                guard let name = key.string else { throw .invalidTemplate("a mapping key is not a string") }
                members.append((name, try TemplateValue(value)))
            }
            plain = .map(members)
        }
        guard tag.hasPrefix("!"), tag != "!" else {
            self = plain
            return
        }
        let function = String(tag.dropFirst())
        switch function {
        case "Ref", "Condition":
            self = .map([(function, plain)])
        case "GetAtt":
            if let dotted = plain.string {
                let parts = dotted.split(separator: ".", maxSplits: 1).map { TemplateValue.string(String($0)) }
                self = .map([("Fn::GetAtt", .list(parts))])
            } else {
                self = .map([("Fn::GetAtt", plain)])
            }
        default:
            self = .map([("Fn::\(function)", plain)])
        }
    }
}

/// Why the local stack could not be built.
public enum StackError: Error, CustomStringConvertible {
    case invalidTemplate(String)
    case unresolved(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidTemplate(let message): "template.yaml: \(message)"
        case .unresolved(let message): "template.yaml: cannot resolve \(message)"
        case .unsupported(let message): "template.yaml: \(message) is not supported by the local stack"
        }
    }
}
