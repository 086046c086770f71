/// The headers a presigned GET makes S3 answer with instead of the object's own (`response-*`).
public struct S3ResponseOverrides: Sendable, Equatable {
    public var contentType: String?
    public var contentLanguage: String?
    /// An HTTP date.
    public var expires: String?
    public var cacheControl: String?
    /// E.g. `attachment; filename="…"`, so the browser saves the file under its original name.
    public var contentDisposition: String?
    public var contentEncoding: String?

    /// Overrides; nil leaves the object's own header.
    public init(
        contentType: String? = nil, contentLanguage: String? = nil, expires: String? = nil, cacheControl: String? = nil,
        contentDisposition: String? = nil, contentEncoding: String? = nil
    ) {
        self.contentType = contentType
        self.contentLanguage = contentLanguage
        self.expires = expires
        self.cacheControl = cacheControl
        self.contentDisposition = contentDisposition
        self.contentEncoding = contentEncoding
    }

    /// The query parameters, as S3 names them.
    var queryItems: [(String, String)] {
        [
            ("response-cache-control", cacheControl), ("response-content-disposition", contentDisposition),
            ("response-content-encoding", contentEncoding), ("response-content-language", contentLanguage),
            ("response-content-type", contentType), ("response-expires", expires),
        ].compactMap { name, value in value.map { (name, $0) } }
    }
}
