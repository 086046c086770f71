import AWSCore
import HTTPTransport

/// Where a bucket notification goes.
public struct S3NotificationTarget: Sendable, Equatable {
    /// `Queue` or `Topic`.
    public enum Kind: String, Sendable { case queue = "Queue", topic = "Topic" }
    /// Destination kind.
    public var kind: Kind
    /// The queue or topic ARN.
    public var arn: String
    /// Events, e.g. `s3:ObjectRestore:Completed`.
    public var events: [String]
    /// Only keys with this prefix.
    public var prefix: String?
    /// Only keys with this suffix.
    public var suffix: String?
    /// Optional configuration id.
    public var id: String?

    /// Creates a target.
    public init(kind: Kind, arn: String, events: [String], prefix: String? = nil, suffix: String? = nil, id: String? = nil) {
        self.kind = kind
        self.arn = arn
        self.events = events
        self.prefix = prefix
        self.suffix = suffix
        self.id = id
    }
}

extension S3Client {
    /// Creates a bucket in the client's region; one the caller already owns is not an error.
    public func createBucket(_ bucket: String) async throws(AWSError) {
        var body: [UInt8] = []
        if client.region != "us-east-1" {
            var xml = XMLWriter()
            xml.open("CreateBucketConfiguration", namespace: "http://s3.amazonaws.com/doc/2006-03-01/")
            xml.element("LocationConstraint", client.region)
            xml.close("CreateBucketConfiguration")
            body = xml.bytes
        }
        do {
            _ = try await send("PUT", url(bucket: bucket, query: []), body: body.isEmpty ? .empty : .bytes(body))
        } catch where error.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }

    /// Deletes an empty bucket.
    public func deleteBucket(_ bucket: String) async throws(AWSError) {
        _ = try await send("DELETE", url(bucket: bucket, query: []))
    }

    /// Turns versioning on (deletes by version id are then exact).
    public func enableVersioning(bucket: String) async throws(AWSError) {
        var xml = XMLWriter()
        xml.open("VersioningConfiguration", namespace: "http://s3.amazonaws.com/doc/2006-03-01/")
        xml.element("Status", "Enabled")
        xml.close("VersioningConfiguration")
        _ = try await send("PUT", url(bucket: bucket, query: [("versioning", "")]), body: .bytes(xml.bytes))
    }

    /// `Enabled`, `Suspended`, or nil for a bucket that never had versioning.
    public func versioningStatus(bucket: String) async throws(AWSError) -> String? {
        try xml(try await send("GET", url(bucket: bucket, query: [("versioning", "")]))).child("Status")?.text
    }

    /// Replaces the bucket's event notifications with `targets`.
    public func putBucketNotificationConfiguration(bucket: String, targets: [S3NotificationTarget]) async throws(AWSError) {
        var xml = XMLWriter()
        xml.open("NotificationConfiguration", namespace: "http://s3.amazonaws.com/doc/2006-03-01/")
        for target in targets {
            guard !target.events.isEmpty else { throw AWSError.invalidParameter("s3", "events", "at least one event for \(target.arn)") }
            let element = "\(target.kind.rawValue)Configuration"
            xml.open(element)
            if let id = target.id { xml.element("Id", id) }
            xml.element(target.kind.rawValue, target.arn)
            for event in target.events { xml.element("Event", event) }
            if target.prefix != nil || target.suffix != nil {
                xml.open("Filter")
                xml.open("S3Key")
                for (name, value) in [("prefix", target.prefix), ("suffix", target.suffix)] {
                    guard let value else { continue }
                    xml.open("FilterRule")
                    xml.element("Name", name)
                    xml.element("Value", value)
                    xml.close("FilterRule")
                }
                xml.close("S3Key")
                xml.close("Filter")
            }
            xml.close(element)
        }
        xml.close("NotificationConfiguration")
        _ = try await send("PUT", url(bucket: bucket, query: [("notification", "")]), body: .bytes(xml.bytes))
    }

    /// The bucket's queue and topic notifications.
    public func getBucketNotificationConfiguration(bucket: String) async throws(AWSError) -> [S3NotificationTarget] {
        let root = try xml(try await send("GET", url(bucket: bucket, query: [("notification", "")])))
        return root.children.compactMap { node -> S3NotificationTarget? in
            let kind: S3NotificationTarget.Kind
            switch node.name {
            case "QueueConfiguration": kind = .queue
            case "TopicConfiguration": kind = .topic
            default: return nil
            }
            guard let arn = node.child(kind.rawValue)?.text else { return nil }
            let rules = node.child("Filter")?.child("S3Key")?.children("FilterRule") ?? []
            func rule(_ name: String) -> String? {
                rules.first { $0.child("Name")?.text.lowercased() == name }?.child("Value")?.text
            }
            return S3NotificationTarget(
                kind: kind, arn: arn, events: node.children("Event").map(\.text), prefix: rule("prefix"), suffix: rule("suffix"),
                id: node.child("Id")?.text)
        }
    }
}
