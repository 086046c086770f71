/// A `multipart/form-data` body as a browser sends an S3 upload form: the fields in order, then the file.
public struct MultipartBody: Sendable {
    public static let boundary = "----WebKitFormBoundaryGAS7x"
    /// The request's `Content-Type`.
    public static let contentType = "multipart/form-data; boundary=\(boundary)"

    public let bytes: [UInt8]

    /// `file` nil leaves the file part out.
    public init(_ fields: [(String, String)], file: [UInt8]?, fileName: String = "sample.vcf") {
        let boundary = Self.boundary
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: text/plain\r\n\r\n".utf8)
            body += file + Array("\r\n".utf8)
        }
        bytes = body + Array("--\(boundary)--\r\n".utf8)
    }
}
