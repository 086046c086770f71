/// S3 event notifications (here `ObjectRestore:Completed`); S3's one-off test event has no records.
public struct S3Event: Decodable, Sendable {
    /// One notification.
    public struct Record: Decodable, Sendable {
        /// The bucket.
        public struct Bucket: Decodable, Sendable, Equatable {
            public var name: String
            public var arn: String?
        }

        /// The object; `key` is already decoded (`+` to space, then `%XX`).
        public struct Object: Decodable, Sendable, Equatable {
            public var key: String
            public var size: Int64?
            public var eTag: String?
            public var versionID: String?

            enum CodingKeys: String, CodingKey { case key, size, eTag, versionID = "versionId" }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                let raw = try container.decode(String.self, forKey: .key)
                guard let decoded = S3Event.decodeKey(raw) else {
                    throw DecodingError.dataCorruptedError(forKey: .key, in: container, debugDescription: "key \(raw) is not valid form encoding")
                }
                key = decoded
                size = try container.decodeIfPresent(Int64.self, forKey: .size)
                eTag = try container.decodeIfPresent(String.self, forKey: .eTag)
                versionID = try container.decodeIfPresent(String.self, forKey: .versionID)
            }
        }

        struct Entity: Decodable, Sendable {
            var bucket: Bucket
            var object: Object
        }

        /// Restore details (`ObjectRestore:Completed` only; moto omits them).
        public struct GlacierEventData: Decodable, Sendable, Equatable {
            public struct RestoreEventData: Decodable, Sendable, Equatable {
                public var lifecycleRestorationExpiryTime: String?
                public var lifecycleRestoreStorageClass: String?
            }
            public var restoreEventData: RestoreEventData?
        }

        /// Without the `s3:` prefix, e.g. `ObjectRestore:Completed`.
        public var eventName: String
        /// ISO 8601.
        public var eventTime: String?
        /// The bucket's region.
        public var awsRegion: String?
        var s3: Entity
        /// Restore details.
        public var glacierEventData: GlacierEventData?

        /// The bucket.
        public var bucket: Bucket { s3.bucket }
        /// The object.
        public var object: Object { s3.object }
    }

    /// The notifications (none for `s3:TestEvent`).
    public var records: [Record]

    enum CodingKeys: String, CodingKey { case records = "Records" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        records = try container.decodeIfPresent([Record].self, forKey: .records) ?? []
    }

    /// Form-style decoding of S3 event keys: `+` is a space, `%XX` a byte; nil for a broken escape or bytes that are not UTF-8.
    public static func decodeKey(_ raw: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
