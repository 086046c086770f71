import FoundationEssentials
import Hummingbird
import Logging
import WebFront

#if canImport(Glibc)
    import Glibc
#endif

/// `gas-web`: the web front as an HTTP server (a container, a laptop, or `gas-local up`).
/// Listens on `WEB_HOST` (default 127.0.0.1) and `PORT` (default 8080); every other setting is
/// the `WebConfiguration` both hosts share.
@main
enum GASWeb {
    static func main() async {
        let variables = ProcessInfo.processInfo.environment
        var logger = Logger(label: "gas-web")
        logger.logLevel = Logger.Level(rawValue: variables["LOG_LEVEL"]?.lowercased() ?? "") ?? .info
        guard let port = Int(variables["PORT"] ?? "8080"), (0...65535).contains(port) else {
            fail("gas-web: PORT must be a port number, got \(variables["PORT"] ?? "")")
        }
        let services: WebServices
        do {
            services = try await WebServices.fromEnvironment(variables, logger: logger)
        } catch {
            fail("gas-web: cannot start: \(error)")
        }
        let sweep = RequestSweep(store: services.store)
        let sweepLogger = logger
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(Int(variables["REQUEST_SWEEP_SECONDS"] ?? "") ?? 30))
                do { try await sweep.run(logger: sweepLogger) } catch { sweepLogger.error("request sweep failed", metadata: ["error": "\(error)"]) }
            }
        }
        let app = Application(
            router: WebRouter.build(services),
            configuration: .init(address: .hostname(variables["WEB_HOST"] ?? "127.0.0.1", port: port), serverName: "gas-web"),
            onServerRunning: { channel in
                say("gas-web: listening on http://\(channel.localAddress?.ipAddress ?? "?"):\(channel.localAddress?.port ?? 0)", to: 1)
            },
            logger: logger)
        do {
            try await app.runService()
        } catch {
            fail("gas-web: \(error)")
        }
    }

    static func fail(_ message: String) -> Never {
        say(message, to: 2)
        exit(1)
    }

    /// Writes a line straight to a file descriptor (unbuffered, so a parent process sees it at once).
    static func say(_ line: String, to descriptor: Int32) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
