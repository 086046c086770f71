@testable import AnnotationEngine
import Foundation
import Testing

/// gzip and bgzip input read as streams, told by content; outputs that never half-exist.
@Suite struct CompressedInputTests {
    let folder: URL
    let annotator: Annotator

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gas-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        annotator = Annotator(genes: try GeneTable(text: AnnotationRulesTests.table), known: nil)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// `gzip -c` of each part, appended: one member per part, as bgzip writes blocks.
    private func gzip(_ parts: [String], to name: String) throws {
        FileManager.default.createFile(atPath: path(name), contents: nil)
        let output = try FileHandle(forWritingTo: folder.appendingPathComponent(name))
        defer { try? output.close() }
        for (index, part) in parts.enumerated() {
            try part.write(toFile: path("part\(index)"), atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/gzip")
            process.arguments = ["-c", path("part\(index)")]
            process.standardOutput = output
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
    }

    static let records = (0..<3000).map { "chr1\t\(2001 + $0 % 400)\t.\tA\tG\t.\t.\tN=\($0)\n" }

    @Test func gzipAndMultiMemberGzipReadAsThePlainFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = AnnotationRulesTests.header + Self.records.joined()
        try text.write(toFile: path("plain.vcf"), atomically: true, encoding: .utf8)
        try gzip([text], to: "one.vcf.gz")
        // Members that split lines anywhere, as bgzip's 64 KiB blocks do, under a name that says nothing.
        let cut = text.index(text.startIndex, offsetBy: 40_001)
        try gzip([String(text[..<cut]), String(text[cut...]), ""], to: "blocks.data")
        let plain = try annotator.annotate(inputPath: path("plain.vcf"), outputPath: path("plain.out"))
        for name in ["one.vcf.gz", "blocks.data"] {
            let counts = try annotator.annotate(inputPath: path(name), outputPath: path(name + ".out"))
            #expect(counts == plain && counts.variants == 3000)
            #expect(FileManager.default.contentsEqual(atPath: path(name + ".out"), andPath: path("plain.out")))
        }
    }

    @Test func brokenCompressedInputIsAClearErrorAndLeavesNoOutput() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try gzip([AnnotationRulesTests.header + Self.records.joined()], to: "whole.gz")
        let whole = try Data(contentsOf: URL(fileURLWithPath: path("whole.gz")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path("truncated.gz")))
        var corrupt = whole
        for index in 200..<260 { corrupt[index] ^= 0x5a }
        try corrupt.write(to: URL(fileURLWithPath: path("corrupt.gz")))
        for (name, expected) in [("truncated.gz", "the gzip data ends early"), ("corrupt.gz", "the gzip data is corrupt")] {
            #expect {
                _ = try annotator.annotate(inputPath: path(name), outputPath: path("out.vcf"))
            } throws: { error in
                "\(error)".contains(expected)
            }
            #expect(!FileManager.default.fileExists(atPath: path("out.vcf")) && !FileManager.default.fileExists(atPath: path("out.vcf.partial")))
        }
    }

    @Test func theOutputMustNotBeTheInputAndABadFileLeavesNoOutput() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = AnnotationRulesTests.header + Self.records.joined()
        try text.write(toFile: path("in.vcf"), atomically: true, encoding: .utf8)
        #expect(throws: AnnotationError.io("the output \(path("in.vcf")) is the input file: choose another path")) {
            try annotator.annotate(inputPath: path("in.vcf"), outputPath: path("in.vcf"))
        }
        #expect(try String(contentsOfFile: path("in.vcf"), encoding: .utf8) == text, "the input is untouched")
        try (text + "chr1\tx\t.\tA\tG\t.\t.\t.\n").write(toFile: path("bad.vcf"), atomically: true, encoding: .utf8)
        #expect(throws: AnnotationError.self) { try annotator.annotate(inputPath: path("bad.vcf"), outputPath: path("bad.out")) }
        #expect(!FileManager.default.fileExists(atPath: path("bad.out")) && !FileManager.default.fileExists(atPath: path("bad.out.partial")))
    }
}
