/// Evaluates intrinsic functions against parameters, conditions and deployed resources.
struct Intrinsics {
    var parameters: [String: String]
    var conditions: [String: TemplateValue]
    /// Ref values of deployed resources.
    var references: [String: String] = [:]
    /// `Logical.Attribute` values of deployed resources.
    var attributes: [String: String] = [:]
    let pseudo: [String: String]

    /// Resolves `value`; `nil` means `AWS::NoValue` (drop the member).
    func resolve(_ value: TemplateValue) throws(StackError) -> TemplateValue? {
        switch value {
        case .list(let items):
            var out: [TemplateValue] = []
            for item in items { if let resolved = try resolve(item) { out.append(resolved) } }
            return .list(out)
        case .map(let members) where members.count == 1 && (members[0].key == "Ref" || members[0].key.hasPrefix("Fn::")):
            return try function(members[0].key, members[0].value)
        case .map(let members):
            var out: [(key: String, value: TemplateValue)] = []
            for member in members { if let resolved = try resolve(member.value) { out.append((member.key, resolved)) } }
            return .map(out)
        default:
            return value
        }
    }

    /// Resolves to a string (numbers are rendered without a fraction when whole).
    func string(_ value: TemplateValue) throws(StackError) -> String {
        switch try resolve(value) {
        case .string(let text): return text
        case .number(let number): return number.rounded() == number ? String(Int(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: throw .unresolved("a string from \(value)")
        }
    }

    func condition(_ name: String) throws(StackError) -> Bool {
        guard let expression = conditions[name] else { throw .unresolved("condition \(name)") }
        guard case .bool(let value) = try resolve(expression) else { throw .unresolved("condition \(name) to a Boolean") }
        return value
    }

    private func function(_ name: String, _ argument: TemplateValue) throws(StackError) -> TemplateValue? {
        switch name {
        case "Ref":
            guard let target = argument.string else { throw .invalidTemplate("Ref takes a name") }
            if target == "AWS::NoValue" { return nil }
            if let value = pseudo[target] ?? parameters[target] ?? references[target] { return .string(value) }
            throw .unresolved("Ref \(target)")
        case "Fn::GetAtt":
            guard let parts = argument.list, parts.count == 2, let logical = parts[0].string, let attribute = parts[1].string else {
                throw .invalidTemplate("GetAtt takes [Resource, Attribute]")
            }
            guard let value = attributes["\(logical).\(attribute)"] else { throw .unresolved("GetAtt \(logical).\(attribute)") }
            return .string(value)
        case "Fn::Sub":
            var text: String
            var variables: [String: String] = [:]
            if let list = argument.list, list.count == 2, let template = list[0].string {
                text = template
                for member in list[1].members { variables[member.key] = try string(member.value) }
            } else if let template = argument.string {
                text = template
            } else {
                throw .invalidTemplate("Sub takes a string or [string, variables]")
            }
            var out = ""
            while let start = text.range(of: "${") {
                out += text[..<start.lowerBound]
                guard let end = text[start.upperBound...].firstIndex(of: "}") else { throw .invalidTemplate("unclosed ${ in Sub") }
                let name = String(text[start.upperBound..<end])
                if let value = variables[name] {
                    out += value
                } else if name.contains("."), !name.hasPrefix("AWS::") {
                    let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                    out += try string(.map([("Fn::GetAtt", .list([.string(parts[0]), .string(parts[1])]))]))
                } else {
                    out += try string(.map([("Ref", .string(name))]))
                }
                text = String(text[text.index(after: end)...])
            }
            return .string(out + text)
        case "Fn::If":
            guard let list = argument.list, list.count == 3, let condition = list[0].string else { throw .invalidTemplate("If takes [Condition, then, else]") }
            return try resolve(try self.condition(condition) ? list[1] : list[2])
        case "Fn::Equals":
            guard let list = argument.list, list.count == 2 else { throw .invalidTemplate("Equals takes two values") }
            return .bool(try string(list[0]) == string(list[1]))
        case "Fn::Not":
            guard let list = argument.list, list.count == 1, case .bool(let value) = try resolve(list[0]) else { throw .invalidTemplate("Not takes [condition]") }
            return .bool(!value)
        case "Condition":
            guard let name = argument.string else { throw .invalidTemplate("Condition takes a name") }
            return .bool(try condition(name))
        case "Fn::Select":
            guard let list = argument.list, list.count == 2, case .list(let items)? = try resolve(list[1]) else { throw .invalidTemplate("Select takes [index, list]") }
            guard let index = Int(try string(list[0])), items.indices.contains(index) else { throw .unresolved("Select index") }
            return items[index]
        case "Fn::Split":
            guard let list = argument.list, list.count == 2, let separator = list[0].string else { throw .invalidTemplate("Split takes [separator, string]") }
            return .list(try string(list[1]).components(separatedBy: separator).map(TemplateValue.string))
        case "Fn::Join":
            guard let list = argument.list, list.count == 2, let separator = list[0].string, case .list(let items)? = try resolve(list[1]) else {
                throw .invalidTemplate("Join takes [separator, list]")
            }
            var parts: [String] = []
            for item in items { parts.append(try string(item)) }
            return .string(parts.joined(separator: separator))
        default:
            throw .unsupported(name)
        }
    }

    /// Names of resources `value` refers to.
    static func dependencies(_ value: TemplateValue) -> Set<String> {
        switch value {
        case .list(let items): return items.reduce(into: []) { $0.formUnion(dependencies($1)) }
        case .map(let members):
            var found: Set<String> = []
            for member in members {
                switch member.key {
                case "Ref": if let name = member.value.string { found.insert(name) }
                case "Fn::GetAtt": if let name = member.value.list?.first?.string { found.insert(name) }
                case "Fn::Sub":
                    let text = member.value.string ?? member.value.list?.first?.string ?? ""
                    var rest = Substring(text)
                    while let start = rest.range(of: "${") {
                        guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
                        found.insert(String(rest[start.upperBound..<end].split(separator: ".").first ?? ""))
                        rest = rest[rest.index(after: end)...]
                    }
                    found.formUnion(dependencies(member.value))
                default: found.formUnion(dependencies(member.value))
                }
            }
            return found
        default: return []
        }
    }
}

import Foundation
