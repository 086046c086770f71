import AWSSigV4
import FoundationEssentials
import HTTPTransport
import Logging
import Synchronization

/// The one path every AWS call takes: sign, send, decode errors, retry.
public struct AWSClient: Sendable {
    /// The region requests are signed for.
    public let region: String
    /// Where credentials come from.
    public let credentials: CredentialChain
    /// The environment endpoints are resolved from.
    public let environment: AWSEnvironment
    let http: any HTTPClient
    let retry: RetryPolicy
    let sleeper: any Sleeper
    let now: @Sendable () -> Date
    let logger: Logger
    let explicitEndpoints: [String: String]
    /// Seconds to add to the local clock when signing, learnt from a service that said it was skewed.
    let clockOffset = ClockOffset()
    /// The regions S3 said its buckets live in (a bucket in another region than the client's, such as a shared reference bucket).
    let bucketRegions = BucketRegions()

    /// A client; `endpoints` maps service names to explicit endpoint URLs (highest precedence).
    public init(
        region: String, credentials: CredentialChain, environment: AWSEnvironment, http: any HTTPClient = CurlHTTPClient(),
        retry: RetryPolicy = RetryPolicy(), sleeper: any Sleeper = TaskSleeper(), now: @escaping @Sendable () -> Date = { Date() },
        endpoints: [String: String] = [:], logger: Logger
    ) {
        self.region = region
        self.credentials = credentials
        self.environment = environment
        self.http = http
        self.retry = retry
        self.sleeper = sleeper
        self.now = now
        self.explicitEndpoints = endpoints
        self.logger = logger
    }

    /// A client configured the way the AWS SDKs would be here: region, credentials and endpoints
    /// from the environment and shared files. Fails with the name of what is missing.
    public static func fromEnvironment(
        _ environment: AWSEnvironment = .current(), http: any HTTPClient = CurlHTTPClient(), logger: Logger
    ) throws(AWSError) -> AWSClient {
        guard let region = environment.region else {
            throw AWSError(service: "config", code: "MissingRegion", message: "set AWS_REGION (or AWS_DEFAULT_REGION, or a profile region)")
        }
        let maxAttempts = Int(environment.variables["AWS_MAX_ATTEMPTS"] ?? environment.profile["max_attempts"] ?? "") ?? 3
        return AWSClient(
            region: region, credentials: .standard(environment: environment, http: http), environment: environment, http: http,
            retry: RetryPolicy(maxAttempts: maxAttempts), logger: logger)
    }

    /// The base URL for `service` and whether it was configured (custom endpoints use path-style S3).
    public func endpoint(for service: AWSService) throws(AWSError) -> (url: AWSURL, custom: Bool) {
        if let configured = explicitEndpoints[service.name] ?? environment.configuredEndpoint(for: service) {
            guard var url = AWSURL(string: configured) else {
                throw AWSError.invalidParameter(service.name, "endpoint URL", "http(s)://host[:port], got \(configured)")
            }
            while url.path.hasSuffix("/") { url.path.removeLast() }
            return (url, true)
        }
        return (AWSURL(scheme: "https", host: "\(service.hostPrefix).\(region).amazonaws.com", path: ""), false)
    }

    /// The URL of `path` (encoded) on the service's endpoint, with encoded `query` pairs.
    public func url(for service: AWSService, path: String = "/", query: [(name: String, value: String)] = []) throws(AWSError) -> AWSURL {
        var url = try endpoint(for: service).url
        url.path += path
        url.query = query
        return url
    }

    /// Sends `request`, retrying per the policy; answers the 2xx response or throws the decoded error.
    public func send(_ request: AWSRequest) async throws(AWSError) -> HTTPResponse {
        var attempt = 1
        var corrected = false
        var redirected = false
        var request = request
        var signingRegion = region
        if let known = bucketRegions.region(for: request) { (request.url, signingRegion) = (regional(request.url, known), known) }
        while true {
            let outcome = await performOnce(request, region: signingRegion)
            switch outcome {
            case .success(let response):
                retry.recordSuccess(retried: attempt > 1)
                return response
            case .failure(let failure):
                let (error, used) = (failure.error, failure.credentials)
                // S3 names the bucket's region (301, or 400 for a scope it cannot use) or a host to use
                // for now (307): resend once there, and remember the region for the bucket's later calls.
                let otherRegion = failure.redirect?.region.flatMap { $0 == signingRegion ? nil : $0 }
                let otherHost = failure.redirect?.location.flatMap(AWSURL.init(string:)).flatMap { $0.host == request.url.host ? nil : $0.host }
                if !redirected, otherRegion != nil || otherHost != nil, canRepeat(request), Self.reset(request.responseSink) {
                    redirected = true
                    if let otherRegion {
                        bucketRegions.record(otherRegion, for: request)
                        (request.url, signingRegion) = (regional(request.url, otherRegion), otherRegion)
                    } else if let otherHost {
                        request.url.host = otherHost
                    }
                    logger.notice("resending to the bucket's region", metadata: ["aws.error": "\(error.code)", "aws.region": "\(signingRegion)"])
                    continue
                }
                // Refused before acting on it: a skewed clock (now corrected) or an expired token
                // (now dropped) is worth one immediate resend, whatever the retry budget.
                if !corrected, error.isClockSkew || error.isExpiredToken, canRepeat(request), Self.reset(request.responseSink) {
                    corrected = true
                    if error.isExpiredToken, let used { credentials.invalidate(used) }
                    logger.notice("resending after \(error.code)", metadata: ["aws.service": "\(error.service)", "clock.offset_s": "\(clockOffset.seconds)"])
                    continue
                }
                let decision = canRepeat(request) ? retry.decide(error, attempt: attempt, idempotent: request.idempotent) : .fail
                guard case .retry(var delay) = decision else { throw error }
                if let asked = error.retryAfter { delay = max(delay, min(asked, 20)) }
                logger.debug(
                    "retrying AWS call",
                    metadata: [
                        "aws.service": "\(error.service)", "aws.error": "\(error.code)", "retry.attempt": "\(attempt)",
                        "retry.delay_s": "\(delay)",
                    ])
                do {
                    try await sleeper.sleep(seconds: delay)
                    try request.responseSink?.reset()
                } catch {
                    throw AWSError(service: request.service.name, code: "Cancelled", message: "\(error)")
                }
                attempt += 1
            }
        }
    }

    private static func reset(_ sink: (any HTTPBodySink)?) -> Bool {
        guard let sink else { return true }
        return (try? sink.reset()) != nil
    }

    private func canRepeat(_ request: AWSRequest) -> Bool {
        guard case .stream(_, let source) = request.body else { return true }
        return source.rewind()
    }

    /// `_X_AMZN_TRACE_ID` inside a Lambda function (as it is now: the runtime sets it per
    /// invocation), with control and non-ASCII bytes percent-encoded; nil elsewhere.
    func traceHeader() -> String? {
        guard environment.currentValue("AWS_LAMBDA_FUNCTION_NAME")?.isEmpty == false,
            let trace = environment.currentValue("_X_AMZN_TRACE_ID"), !trace.isEmpty
        else { return nil }
        var encoded = ""
        for byte in trace.utf8 {
            if (0x20...0x7E).contains(byte) { encoded.unicodeScalars.append(Unicode.Scalar(byte)) } else { encoded += "%" + Hex.encode([byte]).uppercased() }
        }
        return encoded
    }

    /// `url` on `other`'s regional host; an explicitly configured endpoint is kept (only the signature changes).
    func regional(_ url: AWSURL, _ other: String) -> AWSURL {
        guard url.host.hasSuffix(".amazonaws.com") else { return url }
        var url = url
        var labels = url.host.split(separator: ".").map(String.init)
        // `…s3.<region>.amazonaws.com`, `…s3-<region>.amazonaws.com` or the global `…s3.amazonaws.com`.
        guard let s3 = labels.lastIndex(where: { $0 == "s3" || $0.hasPrefix("s3-") }) else { return url }
        labels[s3] = "s3"
        if s3 + 1 < labels.count - 2 { labels.remove(at: s3 + 1) }
        labels.insert(other, at: s3 + 1)
        url.host = labels.joined(separator: ".")
        return url
    }

    private func performOnce(_ request: AWSRequest, region: String) async -> Result<HTTPResponse, Failure> {
        let credentials: AWSCredentials
        do {
            credentials = try await self.credentials.credentials()
        } catch {
            return .failure(Failure(error, nil))
        }
        let payload: SigV4Signer.Payload
        switch (request.payload, request.body) {
        case (let given?, _): payload = given
        case (nil, .empty): payload = .empty
        case (nil, .bytes(let bytes)): payload = .bytes(bytes)
        case (nil, .stream):
            return .failure(Failure(.invalidParameter(request.service.name, "payload", "a hash or .unsigned for a streamed body"), nil))
        }
        let signer = SigV4Signer(credentials: credentials, region: region, service: request.service.signingName)
        let signature = signer.sign(
            method: request.method, url: request.url, headers: request.headers, payload: payload, at: now().addingTimeInterval(clockOffset.seconds))
        var headers = request.headers + signature.headers
        // Recursion detection, as the SDKs do: the invocation's X-Ray trace goes with every call, unsigned.
        if let trace = traceHeader(), !request.headers.contains(where: { $0.name.lowercased() == "x-amzn-trace-id" }) {
            headers.append(("X-Amzn-Trace-Id", trace))
        }
        let httpRequest = HTTPRequest(
            method: request.method, url: request.url.description, headers: headers,
            body: request.body, responseSink: request.responseSink, totalTimeout: request.timeout,
            stallTimeout: request.stallTimeout)
        let response: HTTPResponse
        do {
            response = try await http.send(httpRequest)
        } catch {
            return .failure(Failure(AWSError.transport(error, service: request.service.name), credentials))
        }
        guard (200..<300).contains(response.status) else {
            let error = AWSError.decode(response, service: request.service.name)
            if error.isClockSkew, let date = response.header("Date").flatMap(HTTPDate.parse) {
                clockOffset.seconds = date.timeIntervalSince(now())
            }
            var failure = Failure(error, credentials)
            if request.service.name == "s3", [301, 307, 400].contains(response.status) {
                let named = response.header("x-amz-bucket-region").flatMap { $0.isEmpty ? nil : $0 }
                let location = response.status == 307 ? response.header("Location") : nil
                if named != nil || location != nil { failure.redirect = (named, location) }
            }
            return .failure(failure)
        }
        return .success(response)
    }

    /// A failed attempt and the credentials it was signed with.
    struct Failure: Error {
        let error: AWSError
        let credentials: AWSCredentials?
        /// Where S3 said the bucket is: its region, or a host to use for now.
        var redirect: (region: String?, location: String?)?
        init(_ error: AWSError, _ credentials: AWSCredentials?) {
            self.error = error
            self.credentials = credentials
        }
    }
}

/// The correction to the local clock the services asked for, shared by every copy of a client.
final class ClockOffset: Sendable {
    private let milliseconds = Atomic<Int64>(0)
    var seconds: Double {
        get { Double(milliseconds.load(ordering: .relaxed)) / 1000 }
        set { milliseconds.store(Int64((newValue * 1000).rounded()), ordering: .relaxed) }
    }
}

/// The regions of buckets that live outside the client's region, keyed by the bucket part of the
/// URL (its virtual host, or the first path segment on a path-style host).
final class BucketRegions: Sendable {
    private let regions = Mutex<[String: String]>([:])

    func region(for request: AWSRequest) -> String? {
        guard request.service.name == "s3" else { return nil }
        return regions.withLock { $0[Self.key(request.url)] }
    }

    func record(_ region: String, for request: AWSRequest) { regions.withLock { $0[Self.key(request.url)] = region } }

    static func key(_ url: AWSURL) -> String {
        let firstSegment = url.path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        let pathStyle = url.host.hasPrefix("s3.") || url.host.hasPrefix("s3-") || !url.host.hasSuffix(".amazonaws.com")
        return pathStyle ? "\(url.host)/\(firstSegment)" : url.host
    }
}
