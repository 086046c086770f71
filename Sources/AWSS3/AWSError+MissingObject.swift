import AWSCore

extension AWSError {
    /// Whether an object read (GET or HEAD) failed because the object is not there. S3 answers 404
    /// NoSuchKey only to a principal allowed `s3:ListBucket`; to the others (GAS's functions and
    /// front: the template grants none) it answers 403 for a missing key, so a 403 on a key the
    /// caller is allowed to read means missing. Callers act on it only in ways that cannot lose a
    /// copy (they re-check, fail the job, or leave a copy behind), never by deleting.
    public var isMissingObject: Bool {
        code == "NoSuchKey" || code == "NoSuchVersion" || (status == 403 && (code == "AccessDenied" || code == "Forbidden"))
    }
}
