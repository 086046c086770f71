import AWSCore
import AWSDynamoDB
import TestSupport
import Testing

/// A job item in the shape GAS stores.
private struct Job: Codable, Equatable {
    var job_id: String
    var user_id: String
    var job_status: String
    var submit_time: Int
    var tags: [String]?
}

extension MotoSuite {
    @Suite struct DynamoDBClientTests {
        let moto: MotoLease
        let db: DynamoDBClient
        let table = uniqueName("annotations")

        init() async throws {
            moto = try await MotoServer.shared.lease()
            db = DynamoDBClient(client: try MotoServer.shared.client())
            try await db.createTable(table, hashKey: "job_id", indexes: [DynamoDBGlobalIndex(name: "user_id_index", hashKey: "user_id")])
        }

        private func job(_ id: String, user: String = "u1", status: String = "PENDING") throws -> DynamoDBItem {
            try DynamoDBCoder.encode(Job(job_id: id, user_id: user, job_status: status, submit_time: 1_700_000_000, tags: nil))
        }

        @Test func typedItemsRoundTrip() async throws {
            let original = Job(job_id: "j1", user_id: "u1", job_status: "PENDING", submit_time: 1_700_000_000, tags: ["a", "b"])
            try await db.putItem(table: table, item: try DynamoDBCoder.encode(original))
            let item = try #require(try await db.getItem(table: table, key: ["job_id": "j1"], consistentRead: true))
            #expect(item["submit_time"] == .n("1700000000"))
            #expect(try DynamoDBCoder.decode(Job.self, from: item) == original)
            #expect(try await db.getItem(table: table, key: ["job_id": "missing"], consistentRead: true) == nil)
            let broken = #expect(throws: AWSError.self) { try DynamoDBCoder.decode(Job.self, from: ["job_id": "x"]) }
            #expect(broken?.message.contains("user_id") == true)
        }

        @Test func conditionalWritesFailWithTheCurrentItem() async throws {
            try await db.putItem(table: table, item: try job("j2"), condition: "attribute_not_exists(job_id)")
            let duplicate = await #expect(throws: AWSError.self) {
                try await db.putItem(table: table, item: try job("j2"), condition: "attribute_not_exists(job_id)")
            }
            #expect(duplicate?.code == "ConditionalCheckFailedException")
            #expect(duplicate?.status == 400)

            let claim = DynamoDBExpressionAttributes(names: ["#s": "job_status"], values: [":from": "PENDING", ":to": "RUNNING"])
            let new = try await db.updateItem(
                table: table, key: ["job_id": "j2"], update: "SET #s = :to", condition: "#s = :from", attributes: claim, returnValues: .allNew)
            #expect(new?["job_status"] == "RUNNING")
            let again = await #expect(throws: AWSError.self) {
                try await db.updateItem(
                    table: table, key: ["job_id": "j2"], update: "SET #s = :to", condition: "#s = :from", attributes: claim,
                    returnOldOnFailure: true)
            }
            #expect(again?.code == "ConditionalCheckFailedException")
            #expect(again?.details?.contains("RUNNING") == true)

            let old = try await db.deleteItem(
                table: table, key: ["job_id": "j2"], condition: "#s = :to", attributes: .init(names: ["#s": "job_status"], values: [":to": "RUNNING"]),
                returnValues: .allOld)
            #expect(old?["job_id"] == "j2")
        }

        @Test func queriesTheUserIndexAndScansWithPages() async throws {
            for index in 0..<5 { try await db.putItem(table: table, item: try job("q\(index)", user: index < 3 ? "alice" : "bob")) }
            let alice = try await db.queryAll(
                table: table, index: "user_id_index", keyCondition: "user_id = :u", attributes: .init(values: [":u": "alice"]))
            #expect(Set(alice.compactMap { $0["job_id"]?.string }) == ["q0", "q1", "q2"])

            var pages = 0
            var seen: [String] = []
            var startKey: DynamoDBItem?
            repeat {
                let page = try await db.scan(
                    table: table, filter: "user_id = :u", attributes: .init(values: [":u": "bob"]), limit: 2, startKey: startKey)
                seen += page.items.compactMap { $0["job_id"]?.string }
                startKey = page.lastEvaluatedKey
                pages += 1
            } while startKey != nil
            #expect(Set(seen) == ["q3", "q4"])
            #expect(pages >= 3)
            await #expect(throws: AWSError.self) { try await db.scan(table: table, limit: 0) }
        }

        @Test func transactionsApplyAllOrNothing() async throws {
            let users = uniqueName("users")
            try await db.createTable(users, hashKey: "user_id")
            try await db.putItem(table: users, item: ["user_id": "u1", "role": "free_user"])
            try await db.putItem(table: table, item: try job("t1", status: "COMPLETED"))
            let freeUser = DynamoDBTransactItem.conditionCheck(
                table: users, key: ["user_id": "u1"], condition: "#r = :free", attributes: .init(names: ["#r": "role"], values: [":free": "free_user"]))
            let archive = DynamoDBTransactItem.update(
                table: table, key: ["job_id": "t1"], update: "SET #s = :archived", condition: "#s = :completed",
                attributes: .init(names: ["#s": "job_status"], values: [":archived": "ARCHIVED", ":completed": "COMPLETED"]))
            try await db.transactWriteItems([freeUser, archive], token: "archive-t1")
            #expect(try await db.getItem(table: table, key: ["job_id": "t1"], consistentRead: true)?["job_status"] == "ARCHIVED")

            try await db.updateItem(table: users, key: ["user_id": "u1"], update: "SET #r = :p", attributes: .init(names: ["#r": "role"], values: [":p": "premium_user"]))
            try await db.putItem(table: table, item: try job("t2", status: "COMPLETED"))
            let archive2 = DynamoDBTransactItem.update(
                table: table, key: ["job_id": "t2"], update: "SET #s = :archived", condition: "#s = :completed",
                attributes: .init(names: ["#s": "job_status"], values: [":archived": "ARCHIVED", ":completed": "COMPLETED"]))
            let cancelled = await #expect(throws: AWSError.self) { try await db.transactWriteItems([freeUser, archive2]) }
            #expect(cancelled?.code == "TransactionCanceledException")
            #expect(cancelled?.cancellationReasons.map(\.code) == ["ConditionalCheckFailed", "None"])
            #expect(try await db.getItem(table: table, key: ["job_id": "t2"], consistentRead: true)?["job_status"] == "COMPLETED")
        }

        @Test func attributeValuesUseTheWireForm() throws {
            let value: AttributeValue = .m(["b": .b([1, 2]), "ss": .ss(["x"]), "null": .null, "l": .l([.bool(true), .int(3)])])
            let encoded = try JSONEncoder().encode(value)
            #expect(try JSONDecoder().decode(AttributeValue.self, from: encoded) == value)
            #expect(String(decoding: try JSONEncoder().encode(AttributeValue.b([1, 2])), as: UTF8.self) == #"{"B":"AQI="}"#)
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(AttributeValue.self, from: Data(#"{"S":"a","N":"1"}"#.utf8)) }
        }
    }
}

import Foundation
