import ArgumentParser
import Foundation
import LocalLambda
import LocalStack

/// `gas-local up|demo [--cold-store s3-glacier|glacier-vault] [--retention SECONDS] [--port PORT]`
///
/// `up` (the default) runs all of GAS locally until Ctrl-C; `demo` also drives one job through its
/// whole lifecycle, prints the timeline, and exits 0 when every step checked out.
@main
struct GASLocal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gas-local", abstract: "All of GAS on one machine: moto, every function, the web front and its companions.",
        subcommands: [Up.self, Demo.self], defaultSubcommand: Up.self)

    /// Where results go cold.
    enum ColdStore: String, ExpressibleByArgument, CaseIterable {
        case s3Glacier = "s3-glacier"
        case glacierVault = "glacier-vault"
    }

    /// What both modes take.
    struct Stack: ParsableArguments {
        @Option(help: "Where results go cold.") var coldStore: ColdStore = .s3Glacier
        @Option(help: "Seconds after completion before a free user's result is archived (the template's default is 300).")
        var retention: Int = 20
        @Option(help: "The AWS endpoint's port (0: a free one).") var port: UInt16 = 0
        @Option(help: "Run each function from FOLDER/PRODUCT.zip (scripts/package.sh) in a chroot with only AL2023's base libraries (needs root).")
        var functionZips: String?

        func validate() throws {
            guard retention >= 0 else { throw ValidationError("--retention must be 0 or more seconds, got \(retention)") }
        }

        /// Starts the stack, stopping everything on SIGINT or SIGTERM.
        func start() async throws -> LocalStackHost {
            let host = try await LocalStackHost(
                .init(root: FileManager.default.currentDirectoryPath, binaries: GASLocal.binaries, coldStore: coldStore.rawValue, retentionSeconds: retention, port: port,
                    functionZips: functionZips.map { URL(fileURLWithPath: $0).standardizedFileURL.path }),
                log: GASLocal.say)
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            for signalNumber in [SIGINT, SIGTERM] {
                let source = DispatchSource.makeSignalSource(signal: signalNumber)
                source.setEventHandler {
                    GASLocal.say("gas-local: stopping every function and moto")
                    host.stop()
                    Foundation.exit(0)
                }
                source.resume()
                GASLocal.signalSources.append(source)
            }
            GASLocal.say("gas-local: web front \(host.webURL)")
            GASLocal.say("gas-local: identity provider \(host.identityProviderURL)")
            GASLocal.say("gas-local: stripe \(host.stripeURL) (localstripe: card 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined)")
            return host
        }
    }

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Runs the stack until Ctrl-C (point the AWS CLI at the printed endpoint).")
        @OptionGroup var stack: Stack

        func run() async throws {
            let host = try await stack.start()
            GASLocal.say("gas-local: up; AWS endpoint \(host.endpoint.url). Ctrl-C stops everything.")
            while true { try? await Task.sleep(for: .seconds(3600)) }
        }
    }

    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drives one job through its whole lifecycle and checks every step.")
        @OptionGroup var stack: Stack
        @Flag(help: "The user is premium: the result is never archived.") var premium = false

        func run() async throws {
            let host = try await stack.start()
            GASLocal.say("gas-local demo: the lifecycle of one \(premium ? "premium" : "free") user's job")
            do {
                try await LifecycleDemo(host: host, root: FileManager.default.currentDirectoryPath, say: GASLocal.say).run(premium: premium)
                GASLocal.say("gas-local demo: every step checked out")
                for line in GASLocal.byHand(retention: stack.retention) { GASLocal.say(line) }
                host.stop()
            } catch {
                GASLocal.say("gas-local demo failed: \(error)")
                host.stop()
                throw ExitCode.failure
            }
        }
    }

    /// The signal handlers, kept alive while the stack runs (set once, at start, before any signal).
    nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []

    /// The folder of this executable, where the functions' binaries are.
    static var binaries: String { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path }

    /// Prints a line on standard output at once.
    @Sendable static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
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
}
