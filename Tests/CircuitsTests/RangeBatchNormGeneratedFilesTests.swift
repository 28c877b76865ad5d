import Circuits
import Cosim
import Foundation
import Testing

/// generated/rangebn_* (and the manifest) stay identical to what the generator emits; the design
/// passes `verilator --lint-only -Wall`, compiles under Icarus and is read by Yosys (full
/// synthesis with `NORMFORGE_LONG=1`).
@Suite struct RangeBatchNormGeneratedFilesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("generated")

    static func designFiles() throws -> (top: String, paths: [String]) {
        let files = try RangeBNGeneratedFiles.files().filter { $0.name.hasSuffix(".sv") }
        let top = files.last!.name
        return (String(top.dropLast(3)), files.map { directory.appendingPathComponent($0.name).path })
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

    @Test func lintsCompilesAndReadsInYosys() throws {
        let (top, paths) = try Self.designFiles()
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
