import Circuits
import Cosim
import Foundation
import Testing

/// generated/rangebn_* (and the manifest) stay identical to what the generator emits; each unit
/// (forward, training, inference) passes `verilator --lint-only -Wall`, compiles under Icarus
/// and is read by Yosys (full synthesis with `NORMFORGE_LONG=1`).
@Suite struct RangeBatchNormGeneratedFilesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("generated")

    /// Each checked-in unit: its top module and its files, submodules first.
    static func designs() throws -> [(top: String, paths: [String])] {
        let data = try Data(contentsOf: directory.appendingPathComponent(RangeBNGeneratedFiles.manifestName))
        return try JSONDecoder().decode([RangeBNGeneratedFiles.Entry].self, from: data).map { entry in
            (entry.module, entry.files.map { directory.appendingPathComponent($0).path })
        }
    }

    @Test func checkedInFilesAreCurrent() throws {
        let files = try RangeBNGeneratedFiles.files()
        if ProcessInfo.processInfo.environment["NORMFORGE_REGENERATE"] == "1" {
            for (name, text) in files {
                try text.write(to: Self.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        for (name, text) in files {
            let onDisk = try? String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
            #expect(onDisk == text, "generated/\(name) is stale: run `make generate`")
        }
    }

    @Test func everyPassIsCheckedIn() throws {
        #expect(try Self.designs().map(\.top) == RangeBNGeneratedFiles.topFiles().map { String($0.dropLast(3)) })
        #expect(try Self.designs().count == 3)
    }

    @Test(arguments: 0..<3) func lintsCompilesAndReadsInYosys(_ index: Int) throws {
        let (top, paths) = try Self.designs()[index]
        let lint = try ProcessRunner.run(.verilator, ["--lint-only", "-Wall", "-y", Self.directory.path, paths.last!])
        #expect(lint.succeeded, "verilator lint: \(lint.stderr.prefix(2000))")
        let icarus = try ProcessRunner.run(.iverilog, ["-g2012", "-o", "/dev/null"] + paths)
        #expect(icarus.succeeded, "iverilog: \(icarus.stderr.prefix(2000))")
        let long = ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1"
        let script = "read_verilog -sv \(paths.joined(separator: " ")); "
            + (long ? "synth -top \(top)" : "hierarchy -check -top \(top); proc; check -assert")
        let yosys = try ProcessRunner.run(.yosys, ["-q", "-p", script])
        #expect(yosys.succeeded, "yosys: \(yosys.stderr.suffix(2000))")
    }
}
