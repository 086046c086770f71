import AWSCore
import AWSSigV4
import HTTPTransport

extension AWSService {
    /// Amazon S3 Glacier (vault API).
    public static let glacier = AWSService(name: "glacier", signingName: "glacier", hostPrefix: "glacier", endpointKey: "GLACIER")
}

/// The Glacier vault API: archives in, retrieval jobs out. Closed to new AWS accounts since
/// 2025-12-15; GAS uses it only where an account still has vaults.
public struct GlacierClient: Sendable {
    static let version = "2012-06-01"
    let client: AWSClient
    /// The account id in request paths; `-` means the credentials' own account.
    let accountID: String

    /// A client on `client`'s region, credentials and endpoints.
    public init(client: AWSClient, accountID: String = "-") {
        self.client = client
        self.accountID = accountID
    }

    func url(vault: String, _ suffix: String = "") throws(AWSError) -> AWSURL {
        guard !vault.isEmpty, vault.count <= 255 else { throw AWSError.invalidParameter("glacier", "vault", "1 to 255 characters") }
        return try client.url(
            for: .glacier, path: "/\(URIEncoding.encode(accountID))/vaults/\(URIEncoding.encode(vault))\(suffix)")
    }

    func send(
        _ method: String, _ url: AWSURL, headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty,
        payload: SigV4Signer.Payload? = nil, idempotent: Bool = true, sink: (any HTTPBodySink)? = nil
    ) async throws(AWSError) -> HTTPResponse {
        var headers = [("x-amz-glacier-version", Self.version)] + headers
        if case .hash(let hash) = payload ?? .empty, !headers.contains(where: { $0.name == "x-amz-content-sha256" }) {
            // Glacier wants the linear hash as a header too.
            headers.append(("x-amz-content-sha256", body.length == 0 ? SigV4Signer.emptyBodyHash : hash))
        }
        return try await client.send(
            AWSRequest(
                service: .glacier, method: method, url: url, headers: headers, body: body, payload: payload, idempotent: idempotent,
                responseSink: sink, timeout: nil))
    }

    static func checkDescription(_ description: String?) throws(AWSError) {
        guard let description else { return }
        guard description.count <= 1024, description.unicodeScalars.allSatisfy({ (0x20..<0x7F).contains($0.value) }) else {
            throw AWSError.invalidParameter("glacier", "description", "at most 1024 printable ASCII characters")
        }
    }
}
