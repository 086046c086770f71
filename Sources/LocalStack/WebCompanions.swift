import Foundation
import HTTPTransport

/// The web front's companions on the local stack: oidc-provider-mock (from `.venv-web`) as the
/// identity provider, and `gas-web` serving the router.
enum WebCompanions {
    /// Starts oidc-provider-mock on `port`; the stack SIGKILLs it when it stops (it ignores SIGTERM).
    static func startIdentityProvider(root: String, port: UInt16) throws -> Process {
        try start("oidc-provider-mock", root + "/.venv-web/bin/oidc-provider-mock", ["-p", String(port), "-H", "127.0.0.1"])
    }

    /// Starts localstripe on `port` (loopback only, its own empty store; it exits with this process).
    static func startStripe(root: String, port: UInt16) throws -> Process {
        try start(
            "localstripe", root + "/.venv-web/bin/python",
            [
                root + "/scripts/localstripe_server.py", String(port), NSTemporaryDirectory() + "gas-localstripe-\(port).pickle",
                String(ProcessInfo.processInfo.processIdentifier),
            ])
    }

    /// Runs a companion from `.venv-web` with its output discarded.
    private static func start(_ what: String, _ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do {
            try process.run()
        } catch {
            throw StackError.unresolved("\(what) in .venv-web (run scripts/setup.sh first): \(error)")
        }
        return process
    }

    /// Creates the Premium product and its monthly plan in localstripe (which knows plans, not
    /// prices); answers the plan id.
    static func prepareStripe(url: String, secretKey: String) async throws -> String {
        func post(_ path: String, _ form: String) async throws -> [String: Any] {
            let response = try await CurlHTTPClient().send(
                HTTPRequest(
                    method: "POST", url: url + path,
                    headers: [("Authorization", "Bearer \(secretKey)"), ("Content-Type", "application/x-www-form-urlencoded")],
                    body: .bytes(Array(form.utf8)), totalTimeout: 10))
            guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
                throw StackError.unresolved("localstripe \(path) answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
            }
            return object
        }
        let product = try await post("/v1/products", "name=GAS%20Premium&metadata[tier]=premium")
        guard let productID = product["id"] as? String else { throw StackError.unresolved("localstripe made a product without an id") }
        _ = try await post("/v1/plans", "id=\(stripePlan)&amount=999&currency=usd&interval=month&product=\(productID)")
        return stripePlan
    }

    static let stripePlan = "gas-premium-monthly"

    /// Starts `gas-web` and waits for its "listening" line; its log lines go to `log`.
    static func startWebFront(executable: String, environment: [String: String], url: String, log: @escaping @Sendable (String) -> Void) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw StackError.unresolved("gas-web did not start: \(String(decoding: seen, as: UTF8.self))") }
            seen.append(chunk)
        }
        output.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            for line in text.split(separator: "\n") { log("WebFunction | \(line)") }
        }
        return process
    }

    /// Polls `url` until it answers 200 (at most 20 s).
    static func waitUntilAnswering(_ url: String, what: String) async throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let response = try? await CurlHTTPClient().send(HTTPRequest(method: "GET", url: url, connectTimeout: 1, totalTimeout: 2)), response.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw StackError.unresolved("\(what) at \(url) did not answer within 20 s")
    }
}
