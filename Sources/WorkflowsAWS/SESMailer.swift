import AWSCore
import AWSSES
import Workflows

/// Email through SES v2 from one verified sender.
public struct SESMailer: Mailer {
    let ses: SESClient
    let sender: String

    /// Sends as `sender`.
    public init(ses: SESClient, sender: String) {
        self.ses = ses
        self.sender = sender
    }

    public func send(to address: String, subject: String, body: String, within: Double) async throws {
        do {
            try await ses.sendEmail(SESEmail(from: sender, to: [address], subject: subject, text: body), timeout: within)
        } catch where Self.mayHaveSent(error) {
            throw MailUnconfirmed(error.description)
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }

    /// The request reached SES and its answer was lost or unreadable: SES may have sent it.
    static func mayHaveSent(_ error: AWSError) -> Bool {
        ["RequestTimeout", "NetworkError", "MalformedResponse"].contains(error.code)
    }
}
