import Foundation

/// Loads the shared botocore vector files from `GAS_VECTORS_DIR` (default `../shared/vectors`).
public enum Vectors {
    /// The package root, found from this file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The vector directory.
    public static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["GAS_VECTORS_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, relativeTo: packageRoot)
        }
        return packageRoot.appendingPathComponent("../shared/vectors").standardizedFileURL
    }

    /// Every `*.json` file in the directory whose name starts with `prefix`, so new files add cases.
    public static func files(prefix: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" && $0.lastPathComponent.hasPrefix(prefix) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Decodes the `vectors` array of every file starting with `prefix`.
    public static func load<V: Decodable>(_ type: V.Type, prefix: String) throws -> [V] {
        let found = try files(prefix: prefix)
        guard !found.isEmpty else { throw VectorError.noFiles(prefix: prefix, directory: directory.path) }
        return try found.flatMap { try JSONDecoder().decode(VectorFile<V>.self, from: Data(contentsOf: $0)).vectors }
    }

    /// The vectors' byte rule: `byte[i] = (i * 31 + seed) mod 251`.
    public static func patternBytes(size: Int, seed: Int, offset: Int = 0) -> [UInt8] {
        (offset..<(offset + size)).map { UInt8(($0 * 31 + seed) % 251) }
    }
}

/// A vector directory that holds nothing to test is an error, never a silent pass.
public enum VectorError: Error, CustomStringConvertible {
    case noFiles(prefix: String, directory: String)

    public var description: String {
        switch self {
        case .noFiles(let prefix, let directory): "no \(prefix)*.json vector files in \(directory)"
        }
    }
}

private struct VectorFile<V: Decodable>: Decodable { let vectors: [V] }
