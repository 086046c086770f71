import LocalLambda
import LocalServer

/// S3's answer for a key that does not exist to a principal without `s3:ListBucket`: 403
/// AccessDenied, not moto's 404 NoSuchKey. GAS's template grants no function or the front
/// `s3:ListBucket` on the results or inputs bucket, so this is what every read of a missing
/// object meets on AWS, and what the local stack answers too.
public enum S3MissingKeyDenial {
    /// Rewrites moto's 404 for an object read (GET or HEAD of `/bucket/key`, SigV4 for S3) into S3's 403.
    public static func install(on endpoint: AWSEndpoint) {
        endpoint.rewrite { request, response in
            guard response.status == 404, applies(method: request.method, target: request.path, headers: request.headers) else { return response }
            if request.method == "GET", !String(decoding: response.body, as: UTF8.self).contains("<Code>NoSuchKey</Code>") { return response }
            let denied = S3Refusal.accessDenied().response
            return request.method == "HEAD" ? .init(status: 403, headers: denied.headers.filter { $0.0 != "Content-Type" }) : denied
        }
    }

    /// Whether this is an object read signed for S3 (header or query signature), path style.
    static func applies(method: String, target: String, headers: [String: String]) -> Bool {
        guard method == "GET" || method == "HEAD" else { return false }
        let path = target.split(separator: "?", maxSplits: 1).first ?? ""
        guard path.split(separator: "/").count >= 2 else { return false }  // /bucket alone is a bucket call
        let scope = headers["authorization"] ?? target
        return scope.contains("/s3/aws4_request") || scope.contains("%2Fs3%2Faws4_request")
    }
}
