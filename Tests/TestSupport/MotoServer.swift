import Foundation
import HTTPTransport
import Synchronization

/// The moto server of this test process: started once on a free loopback port from the project's
/// `.venv`, stopped by pid when the process exits (and by itself if the process dies).
public final class MotoServer: Sendable {
    /// The shared server; the first use starts it.
    public static let shared: MotoServer = {
        do {
            return try MotoServer()
        } catch {
            fatalError("cannot start moto (run scripts/setup.sh first): \(error)")
        }
    }()

    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    /// The server's process id.
    public let pid: Int32

    /// A separate server with extra environment (e.g. `MOTO_PORT`, where its Step Functions
    /// interpreter sends Lambda invocations); stopped with the process like the shared one.
    public static func start(environment: [String: String]) throws -> MotoServer { try MotoServer(environment: environment) }

    private init(environment: [String: String] = [:]) throws {
        let python = Vectors.packageRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MotoError.notInstalled(python)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            Vectors.packageRoot.appendingPathComponent("scripts/moto_server.py").path,
            "--parent-pid", String(ProcessInfo.processInfo.processIdentifier),
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        try process.run()
        pid = process.processIdentifier
        var line = Data()
        let deadline = Date().addingTimeInterval(30)
        while !line.contains(UInt8(ascii: "\n")), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else { throw MotoError.noPort(text) }
        endpoint = String(text[range.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        Self.started.withLock { $0.append(pid) }
        atexit { MotoServer.stopStarted() }
    }

    private static let started = Mutex<[Int32]>([])

    private static func stopStarted() {
        for pid in started.withLock({ $0 }) { kill(pid, SIGTERM) }
    }

    /// Clears every moto backend and turns signature checking off (`/moto-api/reset`, `/moto-api/reset-auth`).
    public func reset() async throws {
        try await post("/moto-api/reset-auth", body: "inf")
        try await post("/moto-api/reset", body: "")
    }

    /// POSTs to a moto control path and fails unless it answers 200.
    public func post(_ path: String, body: String) async throws {
        let response = try await CurlHTTPClient().send(
            HTTPRequest(method: "POST", url: endpoint + path, body: .bytes(Array(body.utf8))))
        guard (200..<300).contains(response.status) else { throw MotoError.control(path, response.status) }
    }

    /// GETs a moto control path (`/moto-api/data.json`, …).
    public func get(_ path: String) async throws -> [UInt8] {
        try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: endpoint + path)).body
    }
}

enum MotoError: Error {
    case notInstalled(String)
    case noPort(String)
    case control(String, Int)
}

