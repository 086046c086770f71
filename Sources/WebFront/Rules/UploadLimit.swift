import Workflows

/// The largest input a plan may upload: 150 KB (153,600 bytes) by default for free users, none for premium.
public struct UploadLimit: Sendable, Equatable {
    /// The original GAS's limit for free users (150 KiB).
    public static let defaultFreeBytes = 153_600

    /// Free users' limit in bytes.
    public let freeBytes: Int

    /// A limit of `freeBytes` for free users.
    public init(freeBytes: Int = UploadLimit.defaultFreeBytes) { self.freeBytes = freeBytes }

    /// The original GAS's wording when a free user picks a larger file ("…the 150KB limit…").
    public var freeMessage: String {
        "File size exceeds the \(freeBytes / 1024)KB limit for free users. Please subscribe to upload larger files."
    }

    /// The limit for `role`; nil means unlimited.
    public func bytes(for role: UserRole) -> Int? {
        switch role {
        case .free: freeBytes
        case .premium: nil
        }
    }

    /// Whether an object of `size` bytes may be submitted by a user with `role`.
    public func allows(size: Int, role: UserRole) -> Bool {
        guard size >= 0 else { return false }
        guard let limit = bytes(for: role) else { return true }
        return size <= limit
    }
}
