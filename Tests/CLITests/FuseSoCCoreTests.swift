import Cosim
import Foundation
import Testing

/// `normforge generate` writes a FuseSoC CAPI2 core and a file list beside the SystemVerilog, and
/// the real FuseSoC (with Edalize, pinned in tools/requirements.txt) lints every kind of circuit
/// through it.
@Suite(.serialized) struct FuseSoCCoreTests {
    init() { ProjectTools.activate() }

    /// One small configuration of each generator.
    static let circuits: [[String]] = [
        ["iternorm", "--lanes", "4", "--d-max", "16"],
        ["iternorm", "--format", "bf16", "--mode", "rmsnorm", "--accumulate", "wide", "--lanes", "2", "--d-max", "8"],
        ["iternorm", "--lanes", "4", "--d-max", "32", "--bfp-in", "mxint8"],
        ["bfp-convert", "--preset", "mxfp8-e4m3", "--lanes", "8"],
        ["bfp-deconvert", "--preset", "hbfp8", "--lanes", "4"],
        ["range-bn", "--channels", "32", "--positions", "16", "--chunks", "4"],
    ]

    struct Generated {
        let directory: URL
        let top: String
        let sources: [String]
        let core: String
        let fileList: String
    }

    static func generate(_ arguments: [String]) throws -> Generated {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-core-\(UUID().uuidString)")
        let r = try CLITests.run(["generate"] + arguments + ["--out", directory.path, "--json"])
        try #require(r.status == 0, "\(r.stderr)")
        let report = try CLITests.json(r.stdout)
        return Generated(directory: directory, top: try #require(report["design"] as? String),
                         sources: try #require(report["files"] as? [String]),
                         core: try #require(report["core"] as? String), fileList: try #require(report["file_list"] as? String))
    }

    static func fusesoc(_ generated: Generated, target: String, tool: String? = nil) throws -> CLITests.Run {
        let fusesoc = try CLITests.venvTool("fusesoc")
        let build = generated.directory.appendingPathComponent("build")
        return try CLITests.launch(fusesoc, ["--cores-root", generated.directory.path, "run", "--build-root", build.path,
                                             "--target", target] + (tool.map { ["--tool", $0] } ?? [])
                                            + ["normforge:macro:\(generated.top)"])
    }

    @Test(arguments: circuits)
    func lintTargetPassesWithTheRealFuseSoC(_ arguments: [String]) throws {
        let generated = try Self.generate(arguments)
        defer { try? FileManager.default.removeItem(at: generated.directory) }

        // The file list: every .sv, in the order generate reported (submodules first, top last).
        let listed = try String(contentsOfFile: generated.fileList, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(listed == generated.sources.map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(listed.last == "\(generated.top).sv")
        let core = try String(contentsOfFile: generated.core, encoding: .utf8)
        #expect(core.hasPrefix("CAPI=2:\n"))
        #expect(core.contains("name: \"normforge:macro:\(generated.top):1.0.0\""))

        let lint = try Self.fusesoc(generated, target: "lint")
        #expect(lint.status == 0, "\(lint.stdout)\n\(lint.stderr)")
    }

    /// The lint target is a real check: a signal nobody reads fails Verilator's -Wall through FuseSoC.
    @Test func lintTargetRejectsAnUnusedSignal() throws {
        let generated = try Self.generate(Self.circuits[3])
        defer { try? FileManager.default.removeItem(at: generated.directory) }
        let top = generated.directory.appendingPathComponent("\(generated.top).sv")
        let text = try String(contentsOf: top, encoding: .utf8)
        try text.replacingOccurrences(of: "endmodule", with: "logic never_read;\nassign never_read = 1'b0;\nendmodule")
            .write(to: top, atomically: true, encoding: .utf8)
        let lint = try Self.fusesoc(generated, target: "lint")
        #expect(lint.status != 0)
        #expect((lint.stdout + lint.stderr).contains("never_read"))
    }

    /// The sim target elaborates and runs the macro on Icarus (the default tool).
    @Test func simTargetRunsOnIcarus() throws {
        let generated = try Self.generate(Self.circuits[0])
        defer { try? FileManager.default.removeItem(at: generated.directory) }
        let sim = try Self.fusesoc(generated, target: "sim")
        #expect(sim.status == 0, "\(sim.stdout)\n\(sim.stderr)")
        #expect(sim.stdout.contains("vvp"))
    }
}
