import AWSCore
import FoundationEssentials
import HTTPTransport

/// What S3 says about an object (HEAD or GET), with the body of a GET held in memory.
public struct S3Object: Sendable {
    /// The body; empty for HEAD or when it went to a sink.
    public var body: [UInt8]
    /// Bytes in this response's body (the range for a ranged GET).
    public var contentLength: Int64
    /// The entity tag, quotes included.
    public var eTag: String?
    /// The content type.
    public var contentType: String?
    /// `STANDARD` when S3 omits the header.
    public var storageClass: String
    /// The restore state of an archived object, if S3 reported one.
    public var restore: S3RestoreStatus?
    /// When the object was last written.
    public var lastModified: Date?
    /// `x-amz-meta-*` metadata, names without the prefix, lower case.
    public var metadata: [String: String]
    /// `Content-Range` of a ranged GET.
    public var contentRange: String?
    /// The version id (`x-amz-version-id`), in a versioned bucket.
    public var versionID: String?

    init(_ response: HTTPResponse) {
        body = response.body
        contentLength = Int64(response.header("Content-Length") ?? "") ?? Int64(response.body.count)
        eTag = response.header("ETag")
        contentType = response.header("Content-Type")
        storageClass = response.header("x-amz-storage-class") ?? "STANDARD"
        restore = response.header("x-amz-restore").flatMap(S3RestoreStatus.init(header:))
        lastModified = response.header("Last-Modified").flatMap(HTTPDate.parse)
        contentRange = response.header("Content-Range")
        versionID = response.header("x-amz-version-id")
        var metadata: [String: String] = [:]
        for (name, value) in response.headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        self.metadata = metadata
    }
}

/// The `x-amz-restore` header: a restore in progress, or done with the copy's expiry.
public struct S3RestoreStatus: Sendable, Equatable {
    /// True while the restore runs.
    public var ongoing: Bool
    /// When the restored copy goes away, once it exists.
    public var expiry: Date?

    /// Parses `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"`; nil when malformed.
    public init?(header: String) {
        var fields: [String: String] = [:]
        var rest = Substring(header)
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].trimmingCharacters(in: " ,")
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
            fields[name] = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
        }
        guard let ongoing = fields["ongoing-request"] else { return nil }
        self.ongoing = ongoing == "true"
        self.expiry = fields["expiry-date"].flatMap(HTTPDate.parse)
    }

    /// Creates a status.
    public init(ongoing: Bool, expiry: Date?) {
        self.ongoing = ongoing
        self.expiry = expiry
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
