import Circuits
import Cosim
import Foundation
import Testing

/// generated/bfp_* stay identical to what the generators emit, and every one passes
/// `verilator --lint-only -Wall` and compiles under Icarus.
@Suite struct BFPGeneratedFilesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("generated")

    @Test func checkedInFilesAreCurrent() throws {
        let files = try BFPGeneratedFiles.files()
        if ProcessInfo.processInfo.environment["NORMFORGE_REGENERATE"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            for (name, text) in files {
                try text.write(to: Self.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        for (name, text) in files {
            let url = Self.directory.appendingPathComponent(name)
            let onDisk = try? String(contentsOf: url, encoding: .utf8)
            #expect(onDisk == text, "generated/\(name) is stale: run `make generate`")
        }
    }

    @Test func generatedFilesLintAndCompile() throws {
        for (name, _) in try BFPGeneratedFiles.files() where name.hasSuffix(".sv") {
            let path = Self.directory.appendingPathComponent(name).path
            let lint = try ProcessRunner.run(.verilator, ["--lint-only", "-Wall", path])
            #expect(lint.succeeded, "verilator lint \(name): \(lint.stderr.prefix(2000))")
            let icarus = try ProcessRunner.run(.iverilog, ["-g2012", "-o", "/dev/null", path])
            #expect(icarus.succeeded, "iverilog \(name): \(icarus.stderr.prefix(2000))")
        }
    }
}
