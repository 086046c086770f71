import AWSCore
import AWSSigV4
import FoundationEssentials
import HTTPTransport

extension AWSService {
    /// Amazon SES v2.
    public static let sesV2 = AWSService(name: "ses", signingName: "ses", hostPrefix: "email", endpointKey: "SESV2")
}

/// A plain-text (and optional HTML) email.
public struct SESEmail: Sendable {
    /// The verified sender.
    public var from: String
    /// Recipients.
    public var to: [String]
    /// Subject line.
    public var subject: String
    /// Text body.
    public var text: String
    /// Optional HTML body.
    public var html: String?
    /// Reply-To addresses.
    public var replyTo: [String]

    /// Creates an email.
    public init(from: String, to: [String], subject: String, text: String, html: String? = nil, replyTo: [String] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.replyTo = replyTo
    }
}

/// Amazon SES v2: sending email.
public struct SESClient: Sendable {
    let client: AWSClient

    /// A client on `client`'s region, credentials and endpoints.
    public init(client: AWSClient) { self.client = client }

    /// Sends an email and answers the message id. Never retried after an unknown outcome
    /// (a repeat would send it twice); `MessageRejected` means an unverified sender or recipient.
    @discardableResult
    public func sendEmail(_ email: SESEmail, timeout: Double = 60) async throws(AWSError) -> String {
        guard !email.to.isEmpty else { throw AWSError.invalidParameter("ses", "to", "at least one recipient") }
        for address in [email.from] + email.to + email.replyTo where !Self.looksLikeAddress(address) {
            throw AWSError.invalidParameter("ses", "address", "an email address like name@example.com, got \(address)")
        }
        struct Text: Encodable { var Data: String; var Charset = "UTF-8" }
        struct Body: Encodable { var Text: Text; var Html: Text? }
        struct Simple: Encodable { var Subject: Text; var Body: Body }
        struct Content: Encodable { var Simple: Simple }
        struct Destination: Encodable { var ToAddresses: [String] }
        struct Input: Encodable {
            var FromEmailAddress: String
            var Destination: Destination
            var ReplyToAddresses: [String]?
            var Content: Content
        }
        struct Output: Decodable { var MessageId: String }
        let input = Input(
            FromEmailAddress: email.from, Destination: Destination(ToAddresses: email.to),
            ReplyToAddresses: email.replyTo.isEmpty ? nil : email.replyTo,
            Content: Content(Simple: Simple(Subject: Text(Data: email.subject), Body: Body(Text: Text(Data: email.text), Html: email.html.map { Text(Data: $0) }))))
        let response = try await restJSON("POST", "/v2/email/outbound-emails", input, idempotent: false, timeout: timeout)
        return try client.decodeJSON(Output.self, from: response, service: .sesV2).MessageId
    }

    /// Starts verifying a sender address or domain (local stacks verify at once).
    public func createEmailIdentity(_ identity: String) async throws(AWSError) {
        struct Input: Encodable { var EmailIdentity: String }
        do {
            _ = try await restJSON("POST", "/v2/email/identities", Input(EmailIdentity: identity), idempotent: true)
        } catch where error.code == "AlreadyExistsException" {
            return
        }
    }

    func restJSON(_ method: String, _ path: String, _ input: some Encodable, idempotent: Bool, timeout: Double = 60) async throws(AWSError) -> HTTPResponse {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(input))
        } catch {
            throw AWSError.invalidParameter("ses", path, "an encodable input (\(error))")
        }
        return try await client.send(
            AWSRequest(
                service: .sesV2, method: method, url: try client.url(for: .sesV2, path: path), headers: [("Content-Type", "application/json")],
                body: .bytes(body), idempotent: idempotent, timeout: timeout, stallTimeout: min(30, timeout)))
    }

    static func looksLikeAddress(_ address: String) -> Bool {
        let bare = address.split(separator: "<").last.map { $0.trimmingSuffix(">") } ?? Substring(address)
        let parts = bare.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !bare.contains(" ")
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring { hasSuffix(suffix) ? dropLast(suffix.count) : self }
}
