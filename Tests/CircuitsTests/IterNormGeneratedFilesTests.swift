import Circuits
import Cosim
import Foundation
import Testing

/// generated/ holds the IterNorm default configurations exactly as the generator emits them,
/// and every file passes `verilator --lint-only -Wall` and compiles under Icarus.
@Suite struct IterNormGeneratedFilesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("generated")

    @Test func checkedInFilesAreCurrent() throws {
        let files = try IterNormGeneratedFiles.files()
        if ProcessInfo.processInfo.environment["NORMFORGE_REGENERATE"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            for (name, text) in files {
                try text.write(to: Self.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        for (name, text) in files {
            let onDisk = try? String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
            #expect(onDisk == text, "generated/\(name) is stale: run `make generate`")
        }
    }

    /// The manifest decodes to one entry per configuration, naming files that are there and the
    /// latency the macro reports.
    @Test func manifestDescribesTheFiles() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(IterNormGeneratedFiles.manifestName))
        let entries = try JSONDecoder().decode([IterNormGeneratedFiles.Entry].self, from: data)
        let configs = try IterNormGeneratedFiles.configurations()
        #expect(entries.count == configs.count)
        for (entry, config) in zip(entries, configs) {
            let macro = try IterNormMacro(config)
            #expect(entry.top == macro.topName)
            #expect(entry.files.last == macro.topName + ".sv")
            #expect(entry.latencyCycles == ["64": macro.latency(d: 64), "1024": macro.latency(d: 1024)])
            #expect(entry.lanes == 64 && entry.dMax == 1024 && entry.format == config.format.name)
            #expect(entry.wide == config.wide && entry.accumulate == config.accumulate.name)
            for file in entry.files {
                #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent(file).path), "\(file)")
            }
        }
    }

    /// Linting the five 64-lane tops takes minutes: long suite and `make lint` only.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1"))
    func generatedFilesLintAndCompile() throws {
        let dir = Self.directory.path
        for (name, _) in try IterNormGeneratedFiles.files() where name.hasSuffix(".sv") {
            let path = Self.directory.appendingPathComponent(name).path
            let lint = try ProcessRunner.run(.verilator, ["--lint-only", "-Wall", "-y", dir, path])
            #expect(lint.succeeded, "verilator lint \(name): \(lint.stderr.prefix(2000))")
        }
        for config in try IterNormGeneratedFiles.configurations() {
            let macro = try IterNormMacro(config)
            let icarus = try ProcessRunner.run(.iverilog, ["-g2012", "-o", "/dev/null", "-y", dir, "-Y", ".sv",
                                                           "\(dir)/\(macro.topName).sv"])
            #expect(icarus.succeeded, "iverilog \(macro.topName): \(icarus.stderr.prefix(2000))")
        }
    }
}
