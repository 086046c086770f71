import Foundation
import TestSupport
import Testing

/// The command-line tools parse their arguments with swift-argument-parser: help, subcommands,
/// and a clear error (exit 64) naming what was wrong.
struct CommandLineTests {
    static let binaries = Vectors.packageRoot.appendingPathComponent(".build/debug").path

    /// Runs `tool` with `arguments`; answers the exit status and everything it printed.
    private func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaries + "/" + tool)
        process.arguments = arguments
        process.currentDirectoryURL = Vectors.packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func gasLocalHasUpAndDemoAndRefusesAnUnknownColdStore() throws {
        let help = try run("gas-local", ["--help"])
        #expect(help.status == 0 && help.output.contains("up (default)") && help.output.contains("demo"))
        let bad = try run("gas-local", ["demo", "--cold-store", "tape"])
        #expect(bad.status == 64)
        #expect(bad.output.contains("The value 'tape' is invalid for '--cold-store <cold-store>'") && bad.output.contains("'s3-glacier' and 'glacier-vault'"))
        #expect(try run("gas-local", ["up", "--premium"]).status == 64, "--premium belongs to demo")
    }

    @Test func gasAnnotateNamesWhatIsMissingAndAnnotates() throws {
        let missing = try run("gas-annotate", ["samples/sample.vcf", "out.vcf"])
        #expect(missing.status == 64 && missing.output.contains("Missing expected argument '--refgene <refgene>'"))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gas-cli-\(UUID().uuidString).vcf").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let done = try run("gas-annotate", ["--refgene", "samples/refGene.txt", "samples/sample.vcf", output])
        #expect(done.status == 0 && done.output.contains("variants_per_second"), "\(done.output)")
        let bad = try run("gas-annotate", ["--refgene", "samples/no-such-file.txt", "samples/sample.vcf", output])
        #expect(bad.status == 1 && bad.output.contains("cannot open samples/no-such-file.txt"))
    }

    @Test func awsBenchTakesOnlyACountAboveZero() throws {
        let bad = try run("aws-bench", ["treehash", "0"])
        #expect(bad.status == 64 && bad.output.contains("The value '0' is invalid for '<mebibytes>'"))
        let help = try run("aws-bench", ["--help"])
        #expect(help.status == 0 && ["treehash", "sign", "requests", "stream"].allSatisfy(help.output.contains))
    }
}
