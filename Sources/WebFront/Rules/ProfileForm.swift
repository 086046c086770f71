/// The profile form's rules: name, email and institution are required, trimmed, at most 200
/// characters, without control characters; the email has one `@` with text on both sides.
public struct ProfileForm: Sendable, Equatable {
    public static let maxLength = 200

    public var name: String
    public var email: String
    public var institution: String

    /// Validates the submitted fields; the problems name each bad field.
    public static func validate(name: String?, email: String?, institution: String?) -> Result<ProfileForm, Problems> {
        var problems: [String] = []
        func field(_ value: String?, _ label: String) -> String {
            let trimmed = (value ?? "").trimmingWhitespace()
            if trimmed.isEmpty {
                problems.append("\(label) is required.")
            } else if trimmed.count > maxLength {
                problems.append("\(label) must be at most \(maxLength) characters.")
            } else if trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                problems.append("\(label) must not contain control characters.")
            }
            return trimmed
        }
        let form = ProfileForm(name: field(name, "Name"), email: field(email, "Email"), institution: field(institution, "Institution"))
        let parts = form.email.split(separator: "@", omittingEmptySubsequences: false)
        if !form.email.isEmpty, parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty || form.email.contains(" ") {
            problems.append("Email must be an address like name@example.org.")
        }
        return problems.isEmpty ? .success(form) : .failure(Problems(messages: problems))
    }

    /// Every problem of a submitted form.
    public struct Problems: Error, Sendable, Equatable {
        public var messages: [String]
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
