import AWSCore
import HTTPTransport

/// How fast an archived object comes back.
public enum S3RestoreTier: String, Sendable, CaseIterable {
    /// 1 to 5 minutes (GLACIER only).
    case expedited = "Expedited"
    /// 3 to 5 hours.
    case standard = "Standard"
    /// 5 to 12 hours.
    case bulk = "Bulk"
}

/// What RestoreObject did.
public enum S3RestoreOutcome: Sendable, Equatable {
    /// A restore started (202).
    case started
    /// The object is already restored (200); its temporary copy's life was extended.
    case alreadyRestored
}

extension S3Client {
    /// Asks S3 to make a temporary copy of an archived object readable for `days`.
    ///
    /// A restore already under way fails with `RestoreAlreadyInProgress`; Expedited without
    /// capacity fails with `GlacierExpeditedRetrievalNotAvailable`.
    public func restoreObject(bucket: String, key: String, days: Int, tier: S3RestoreTier) async throws(AWSError) -> S3RestoreOutcome {
        guard days >= 1 else { throw AWSError.invalidParameter("s3", "days", "at least 1, got \(days)") }
        var xml = XMLWriter()
        xml.open("RestoreRequest", namespace: "http://s3.amazonaws.com/doc/2006-03-01/")
        xml.element("Days", String(days))
        xml.open("GlacierJobParameters")
        xml.element("Tier", tier.rawValue)
        xml.close("GlacierJobParameters")
        xml.close("RestoreRequest")
        let response = try await send("POST", url(bucket: bucket, key: key, query: [("restore", "")]), body: .bytes(xml.bytes))
        return response.status == 202 ? .started : .alreadyRestored
    }
}
