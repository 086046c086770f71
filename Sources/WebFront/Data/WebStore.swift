import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSNS
import AWSSigV4
import FoundationEssentials
import Workflows

/// The web front's reads and writes of GAS's tables, buckets and topics, through the project's clients.
public struct WebStore: Sendable {
    let db: DynamoDBClient
    let s3: S3Client
    let sns: SNSClient
    let configuration: WebConfiguration
    /// DynamoDB's `Limit` on each page of a user's job list (nil: DynamoDB's 1 MB pages).
    let listPageSize: Int?

    /// Uses `client` for every call.
    public init(client: AWSClient, configuration: WebConfiguration, listPageSize: Int? = nil) {
        self.listPageSize = listPageSize
        db = DynamoDBClient(client: client)
        s3 = S3Client(client: client)
        sns = SNSClient(client: client)
        self.configuration = configuration
    }

    // MARK: users

    /// The profile of `id`, read consistently (the plan must be current on every page).
    public func user(_ id: String) async throws -> UserProfile? {
        try await db.getItem(table: configuration.usersTable, key: ["user_id": .s(id)], consistentRead: true).map(UserProfile.init(item:))
    }

    /// Creates the profile of a first login as a free user; answers the stored profile either way.
    public func createUserIfMissing(id: String, name: String, email: String) async throws -> (UserProfile, created: Bool) {
        let profile = UserProfile(id: id, name: name, email: email, institution: "", role: .free)
        do {
            try await db.putItem(
                table: configuration.usersTable,
                item: [
                    "user_id": .s(id), "name": .s(name), "email": .s(email), "institution": .s(""), "role": .s(UserRole.free.rawValue),
                    "created": .int(Self.now()),
                ],
                condition: "attribute_not_exists(user_id)")
            return (profile, true)
        } catch {
            guard error.code == "ConditionalCheckFailedException" else { throw error }
        }
        guard let existing = try await user(id) else { throw WebStoreError.vanished("user \(id)") }
        return (existing, false)
    }

    /// Saves name, email and institution of an existing user (never the role).
    public func updateProfile(id: String, name: String, email: String, institution: String) async throws {
        try await db.updateItem(
            table: configuration.usersTable, key: ["user_id": .s(id)], update: "SET #n = :n, email = :e, institution = :i, updated = :t",
            condition: "attribute_exists(user_id)",
            attributes: .init(names: ["#n": "name"], values: [":n": .s(name), ":e": .s(email), ":i": .s(institution), ":t": .int(Self.now())]))
    }

    // MARK: jobs

    /// The job `id`, read consistently.
    public func job(_ id: String) async throws -> JobRecord? {
        guard let item = try await db.getItem(table: configuration.annotationsTable, key: ["job_id": .s(id)], consistentRead: true) else {
            return nil
        }
        return JobRecord(item: item)
    }

    /// Every job of `userID`, newest first, following every page of the user index.
    public func jobs(of userID: String) async throws -> [JobRecord] {
        let items = try await db.queryAll(
            table: configuration.annotationsTable, index: configuration.userIndex, keyCondition: "user_id = :u",
            attributes: .init(values: [":u": .s(userID)]), pageSize: listPageSize)
        return items.compactMap(JobRecord.init(item:)).sorted { ($0.submitTime, $0.id) > ($1.submitTime, $1.id) }
    }

    /// Creates the PENDING job unless `id` exists; false when it already did (a reloaded redirect).
    public func createJob(id: String, userID: String, input: ObjectLocation, fileName: String, submitTime: Int) async throws -> Bool {
        do {
            try await db.putItem(
                table: configuration.annotationsTable,
                item: JobRecord.newItem(id: id, userID: userID, input: input, fileName: fileName, submitTime: submitTime),
                condition: "attribute_not_exists(job_id)")
            return true
        } catch {
            guard error.code == "ConditionalCheckFailedException" else { throw error }
            return false
        }
    }

    /// Publishes the annotation request of a job that is still PENDING and unpublished, then
    /// clears the marker. A duplicate publish (two tabs, a retry after a lost answer) is harmless:
    /// the annotator claims PENDING → RUNNING conditionally and annotates once.
    public func publishRequest(of job: JobRecord) async throws {
        guard job.status == .pending, job.requestUnpublishedSince != nil else { return }
        try await sns.publish(topicARN: configuration.jobRequestsTopicARN, message: try job.requestMessage())
        do {
            try await db.updateItem(
                table: configuration.annotationsTable, key: ["job_id": .s(job.id)], update: "REMOVE \(JobRecord.unpublishedAttribute)",
                condition: "attribute_exists(job_id)")
        } catch {
            // The job was deleted meanwhile: nothing left to mark.
            guard error.code == "ConditionalCheckFailedException" else { throw error }
        }
    }

    /// Jobs whose request was never confirmed published and that are older than `olderThan` seconds
    /// (read from the sparse index that holds only them).
    public func unpublishedJobs(olderThan: Int) async throws -> [JobRecord] {
        try await db.scanAll(
            table: configuration.annotationsTable, index: Self.unpublishedIndex, filter: "\(JobRecord.unpublishedAttribute) <= :cutoff",
            attributes: .init(values: [":cutoff": .int(Self.now() - olderThan)])
        ).compactMap(JobRecord.init(item:))
    }

    /// The sparse index over `request_unpublished_at`.
    public static let unpublishedIndex = "unpublished_requests_index"

    /// The size of an uploaded input; nil when there is no such object.
    public func inputSize(key: String) async throws -> Int? {
        let head: S3Object
        do {
            head = try await s3.headObject(bucket: configuration.inputsBucket, key: key)
        } catch {
            if error.isMissingObject { return nil }
            throw error
        }
        return Int(head.contentLength)
    }

    /// The text of a job's count log.
    public func logText(_ location: ObjectLocation, limit: Int = 1 << 20) async throws -> String {
        let object = try await s3.getObject(bucket: location.bucket, key: location.key, range: "bytes=0-\(limit - 1)")
        return String(decoding: object.body, as: UTF8.self)
    }

    /// A fresh presigned GET for `location`, saved under `fileName` by the browser.
    public func downloadURL(_ location: ObjectLocation, fileName: String) async throws -> String {
        try await s3.presignedURL(
            bucket: location.bucket, key: location.key, expires: configuration.presignSeconds,
            response: S3ResponseOverrides(cacheControl: "private, no-store", contentDisposition: Self.attachment(fileName)))
    }

    /// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266), with the ASCII fallback sanitised.
    static func attachment(_ name: String) -> String {
        let fallback = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(URIEncoding.encode(name))"
    }

    static func now() -> Int { Int(Date().timeIntervalSince1970) }
}

/// The store found an inconsistency it cannot resolve.
enum WebStoreError: Error, CustomStringConvertible {
    /// An item that a failed condition said exists was gone on the next read.
    case vanished(String)
    /// A variable this call needs is not set.
    case notConfigured(String)

    var description: String {
        switch self {
        case .vanished(let what): "\(what) disappeared while it was being created"
        case .notConfigured(let name): "\(name) is not set"
        }
    }
}
