import Foundation
import HTTPTransport
import Synchronization
import TestSupport

@testable import LocalStack

/// One localstripe for the test process (from `.venv-web`, loopback only, its own empty store),
/// with the Premium product and plan; stopped when the process exits.
final class LocalStripe: Sendable {
    private static let starting = Task { try await LocalStripe() }

    /// The process's localstripe, started on first use (without blocking a thread of the pool).
    static func shared() async throws -> LocalStripe { try await starting.value }

    static let secretKey = "sk_test_gas_tests", publishableKey = "pk_test_gas_tests"

    let url: String
    let plan: String

    private init() async throws {
        let port = try LocalStackHost.freePort()
        let process = try WebCompanions.startStripe(root: Vectors.packageRoot.path, port: port)
        let pid = process.processIdentifier
        Self.started.withLock { $0.append(pid) }
        atexit { LocalStripe.started.withLock { $0 }.forEach { kill($0, SIGKILL) } }
        url = "http://127.0.0.1:\(port)"
        try await WebCompanions.waitUntilAnswering(url + "/js.stripe.com/v3/", what: "localstripe")
        plan = try await WebCompanions.prepareStripe(url: url, secretKey: Self.secretKey)
    }

    private static let started = Mutex<[Int32]>([])

    /// A card token as Stripe.js's `createToken` makes it (with the publishable key).
    func token(card: String) async throws -> String {
        let form = "card[number]=\(card)&card[exp_month]=12&card[exp_year]=2030&card[cvc]=123&key=\(Self.publishableKey)"
        let response = try await CurlHTTPClient().send(
            HTTPRequest(method: "POST", url: url + "/v1/tokens", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: .bytes(Array(form.utf8))))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard let id = object?["id"] as? String else { throw StackError.unresolved("localstripe made no token: \(String(decoding: response.body, as: UTF8.self))") }
        return id
    }

    /// GET `path` with the secret key, as JSON.
    func get(_ path: String) async throws -> [String: Any] {
        let response = try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: url + path, headers: [("Authorization", "Bearer \(Self.secretKey)")]))
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }
}
