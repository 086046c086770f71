import AWSSigV4
import Foundation
import LocalLambda
import LocalServer

/// What S3 checks and moto does not (`local-aws-moto.md`): browser uploads against their signed
/// POST policy and query-signed (presigned) requests against their signature and expiry. Installed
/// on the local AWS endpoint, it answers what S3 would refuse with S3's error document and lets
/// the rest through to moto.
public struct S3RequestChecks: Sendable {
    let credentials: [String: AWSCredentials]
    let clock: @Sendable () -> Date

    /// Checks against `credentials` (the only keys the local stack knows) at the time `clock` gives.
    public init(credentials: [AWSCredentials], clock: @escaping @Sendable () -> Date = { Date() }) {
        self.credentials = Dictionary(credentials.map { ($0.accessKeyID, $0) }) { first, _ in first }
        self.clock = clock
    }

    /// Refuses requests S3 would refuse before they reach moto.
    public func install(on endpoint: AWSEndpoint, log: @escaping @Sendable (String) -> Void) {
        endpoint.intercept { request in
            guard let refusal = refusal(method: request.method, target: request.path, headers: request.headers, body: request.body) else { return nil }
            log("[s3] refused \(request.method) \(request.path.split(separator: "?").first ?? ""): \(refusal.code): \(refusal.message)")
            return refusal.response
        }
    }

    /// Why S3 would refuse the request (`headers` with lower-case names), or nil when it would not
    /// or when this is not a request these checks cover.
    func refusal(method: String, target: String, headers: [String: String], body: [UInt8]) -> S3Refusal? {
        do throws(S3Refusal) {
            if S3PresignedURLCheck.applies(to: target) {
                try S3PresignedURLCheck(credentials: credentials).check(method: method, target: target, headers: headers, now: clock())
            } else if method == "POST", let type = headers["content-type"], type.lowercased().hasPrefix("multipart/form-data"),
                let bucket = Self.uploadBucket(target: target, host: headers["host"] ?? "")
            {
                let form: MultipartForm
                do {
                    form = try MultipartForm(body: body, contentType: type)
                } catch {
                    throw S3Refusal(
                        status: 400, code: "MalformedPOSTRequest", message: "The body of your POST request is not well-formed multipart/form-data.")
                }
                try S3PostPolicyCheck(credentials: credentials).check(form, bucket: bucket, now: clock())
            }
            return nil
        } catch {
            return error
        }
    }

    /// The bucket a browser upload goes to: `POST /bucket` (path style) or `POST /` on `bucket.s3.…`.
    static func uploadBucket(target: String, host: String) -> String? {
        guard !target.contains("?") else { return nil }
        let segments = target.split(separator: "/")
        if segments.count == 1 { return String(segments[0]) }
        guard segments.isEmpty else { return nil }
        let name = host.split(separator: ":").first.map(String.init) ?? ""
        guard let range = name.range(of: ".s3.") ?? name.range(of: ".s3-") else { return nil }
        return String(name[..<range.lowerBound])
    }
}
