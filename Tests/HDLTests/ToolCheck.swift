import Cosim
import Foundation
import HDL

/// Runs the three tools every emitted design must pass on a design's files.
enum ToolCheck {
    /// Writes `files` into a fresh temporary directory and returns it.
    static func write(_ files: [EmittedFile]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("hdltests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for file in files {
            try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// `verilator --lint-only -Wall` on the top file, finding submodules with `-y`.
    static func lint(_ files: [EmittedFile], top: String) throws {
        let dir = try write(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ProcessRunner.check(.verilator, ["--lint-only", "-Wall", "-y", dir.path, "--top-module", top, "\(top).sv"], in: dir)
    }

    /// `iverilog -g2012` on all files.
    static func icarus(_ files: [EmittedFile], top: String) throws {
        let dir = try write(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ProcessRunner.check(.iverilog, ["-g2012", "-s", top, "-o", "design.vvp"] + files.map(\.fileName), in: dir)
    }

    /// `yosys read_verilog -sv; synth -top` on all files; returns the `stat` output.
    @discardableResult
    static func synthesize(_ files: [EmittedFile], top: String) throws -> String {
        try run(files, script: "synth -top \(top); stat", top: top)
    }

    /// Yosys `script` after reading all files (with `hierarchy -top`); returns its output.
    static func run(_ files: [EmittedFile], script: String, top: String) throws -> String {
        let dir = try write(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = "read_verilog -sv \(files.map(\.fileName).joined(separator: " ")); hierarchy -top \(top); \(script)"
        return try ProcessRunner.check(.yosys, ["-p", full], in: dir).stdout
    }
}
