/// The key of an uploaded input, `<prefix><user_id>/<job_id>~<file name>`, where the job id is the
/// lowercase UUID the upload form was minted with and the file name is what the browser sent.
public struct InputKey: Sendable, Equatable {
    /// The whole key.
    public let key: String
    /// The job id (the UUID).
    public let jobID: String
    /// The original file name.
    public let fileName: String

    /// Why a key cannot be submitted by this user.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notYours
        case malformed(String)

        public var description: String {
            switch self {
            case .notYours: "the key is not under your upload prefix"
            case .malformed(let why): "the key is malformed: \(why)"
            }
        }
    }

    /// The form's key template for a new job (S3 substitutes `${filename}`).
    public static func template(prefix: String, userID: String, jobID: String) -> String {
        "\(prefix)\(userID)/\(jobID)~${filename}"
    }

    /// Parses `key` as an upload of `userID` under `prefix`.
    public init(parsing key: String, prefix: String, userID: String) throws(Problem) {
        let own = prefix + userID + "/"
        guard !userID.isEmpty, key.hasPrefix(own) else { throw .notYours }
        let rest = key.dropFirst(own.count)
        guard let tilde = rest.firstIndex(of: "~") else { throw .malformed("no ~ between the job id and the file name") }
        let id = String(rest[..<tilde])
        let name = String(rest[rest.index(after: tilde)...])
        guard Self.isUUID(id) else { throw .malformed("the job id is not a lowercase UUID") }
        guard !name.isEmpty else { throw .malformed("the file name is empty") }
        guard !name.contains("/") else { throw .malformed("the file name contains /") }
        guard name.utf8.count <= 255 else { throw .malformed("the file name is longer than 255 bytes") }
        guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .malformed("the file name contains control characters")
        }
        self.key = key
        self.jobID = id
        self.fileName = name
    }

    /// `8-4-4-4-12` lowercase hex.
    public static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) } }
    }
}
