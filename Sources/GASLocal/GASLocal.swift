import Foundation
import LocalLambda
import LocalStack

/// `gas-local [up|demo] [--cold-store s3-glacier|glacier-vault] [--retention SECONDS] [--port PORT] [--premium]`
///
/// `up` runs all of GAS locally until Ctrl-C; `demo` also drives one job through its whole
/// lifecycle, prints the timeline, and exits 0 when every step checked out.
@main
enum GASLocal {
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let mode = arguments.first.flatMap { ["up", "demo"].contains($0) ? $0 : nil } ?? "up"
        if arguments.first == mode { arguments.removeFirst() }
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...index + 1) }
            return arguments[index + 1]
        }
        let coldStore = option("--cold-store") ?? "s3-glacier"
        let retention = Int(option("--retention") ?? "20") ?? -1
        let port = UInt16(option("--port") ?? "0") ?? 0
        let premium = arguments.contains("--premium")
        arguments.removeAll { $0 == "--premium" }
        guard ["s3-glacier", "glacier-vault"].contains(coldStore), retention >= 0, arguments.isEmpty else {
            fail("usage: gas-local [up|demo] [--cold-store s3-glacier|glacier-vault] [--retention SECONDS] [--port PORT] [--premium]", code: 2)
        }
        let root = FileManager.default.currentDirectoryPath
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        let print: @Sendable (String) -> Void = { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        let host: LocalStackHost
        do {
            host = try await LocalStackHost(
                .init(root: root, binaries: binaries, coldStore: coldStore, retentionSeconds: retention, port: port), log: print)
        } catch {
            fail("gas-local: \(error)", code: 1)
        }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop = DispatchSource.makeSignalSource(signal: SIGINT)
        let term = DispatchSource.makeSignalSource(signal: SIGTERM)
        for source in [stop, term] {
            source.setEventHandler {
                print("gas-local: stopping every function and moto")
                host.stop()
                exit(0)
            }
            source.resume()
        }
        print("gas-local: web front \(host.webURL)")
        print("gas-local: identity provider \(host.identityProviderURL)")
        print("gas-local: stripe \(host.stripeURL) (localstripe: card 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined)")
        guard mode == "demo" else {
            print("gas-local: up; AWS endpoint \(host.endpoint.url). Ctrl-C stops everything.")
            while true { try? await Task.sleep(for: .seconds(3600)) }
        }
        print("gas-local demo: the lifecycle of one \(premium ? "premium" : "free") user's job")
        do {
            try await LifecycleDemo(host: host, root: root, say: print).run(premium: premium)
            print("gas-local demo: every step checked out")
            for line in byHand(retention: retention) { print(line) }
            host.stop()
            exit(0)
        } catch {
            print("gas-local demo failed: \(error)")
            host.stop()
            exit(1)
        }
    }

    /// How to walk the same lifecycle in a browser.
    static func byHand(retention: Int) -> [String] {
        [
            "gas-local: to walk the same lifecycle by hand, run `scripts/run.sh up` and open the web front it prints:",
            "  1. Login: type any subject (say alice@example.org) into the identity provider's Subject field and press Authorize.",
            "  2. Check the profile, then Annotate: choose samples/sample.vcf (files over 150 KB are refused for free users).",
            "  3. My annotations: the job goes PENDING, RUNNING, COMPLETED; open it, view the log, download the result.",
            "  4. \(retention) s after completion the result is archived: the job shows \"upgrade to Premium for download\".",
            "  5. Subscribe: card 4242 4242 4242 4242, any future month and year, any CVC (4000 0000 0000 0002 is declined).",
            "  6. The job says the result is being restored, then offers the download again: the same bytes.",
        ]
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(code)
    }
}
