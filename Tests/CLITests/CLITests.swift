import Cosim
import Foundation
import Testing

/// The `normforge` binary as users run it: exit status 0 success / 1 mismatch or failed check /
/// 2 bad input, a one-line error on stderr, JSON on stdout.
@Suite struct CLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The binary SwiftPM built next to this test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("normforge")
    }

    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Run {
        try launch(binary, arguments, environment: environment)
    }

    /// Runs `executable` with `arguments` to completion, capturing its output.
    static func launch(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting: a full pipe would block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A tool of the project's `.venv/bin` (`make setup`: fusesoc, python with cocotb).
    static func venvTool(_ name: String) throws -> URL {
        try #require(ProjectTools.binDirectory().map { URL(fileURLWithPath: $0).appendingPathComponent(name) },
                     "no .venv: run make setup")
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "\(Self.binary.path)")
    }

    /// Every invalid parameter the issue names: one line on stderr, exit 2, nothing on stdout.
    @Test(arguments: [
        ["cosim", "iternorm", "--lanes", "4", "--d-max", "16", "--d", "10"],   // d not a multiple of P
        ["cosim", "iternorm", "--lanes", "4", "--d-max", "16", "--d", "32"],   // d > d_max
        ["generate", "iternorm", "--iterations", "0", "--out", "/tmp"],        // K = 0
        ["synth", "iternorm", "--format", "fp8"],                               // unknown format
        ["flow", "iternorm", "--lanes", "3"],                                   // lanes not a power of two
        ["flow", "iternorm", "--d", "64,x"],                                    // malformed list
        ["cosim", "bfp-convert", "--preset", "nosuch"],
        ["synth", "range-bn", "--channels", "0"],
        ["synth", "range-bn", "--pass", "sideways"],
        ["generate", "range-bn", "--pass", "inference", "--conventional", "--out", "/tmp/normforge-bad"],
        ["cosim", "range-bn", "--pass", "backward", "--back-to-back"],
        ["cosim", "range-bn", "--momentum", "1.5"],
        ["cosim", "range-bn", "--gradient-preset", "hbfp8"],
        ["precision", "--format", "fp128"],
        ["vectors", "iternorm", "--lanes", "4", "--d-max", "16", "--d", "10", "--out", "/tmp/normforge-bad"],
        ["vectors", "iternorm", "--lanes", "4", "--d-max", "16", "--count", "0", "--out", "/tmp/normforge-bad"],
        ["vectors", "bfp-convert", "--preset", "nosuch", "--out", "/tmp/normforge-bad"],
        ["vectors", "bfp-deconvert", "--preset", "mxint8", "--blocks=-1", "--out", "/tmp/normforge-bad"],
        ["precision", "--format", "fp32", "--dims", "64", "--plot", "/tmp/p.svg", "--area", "/nonexistent.json"],
        ["precision", "--format", "fp32", "--dims", "64", "--area", "Package.swift"],   // --area without --plot
        ["cosim", "iternorm", "--accumulate", "wide", "--form", "vector"],
        ["cosim", "iternorm", "--accumulate", "fp64"],
        ["cosim", "iternorm", "--no-such-flag"],
    ])
    func badInputExitsTwo(_ arguments: [String]) throws {
        let r = try Self.run(arguments)
        #expect(r.status == 2, "\(arguments): \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!r.stderr.isEmpty)
        if arguments.last != "--no-such-flag" {
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("normforge: error: "))
        }
    }

    /// A missing simulator is a clear error, not a crash.
    @Test func missingVerilatorIsAClearError() throws {
        let r = try Self.run(["cosim", "iternorm", "--lanes", "2", "--d-max", "4", "--d", "4", "--vectors", "2"],
                             environment: ["PATH": "/nonexistent", "NORMFORGE_VENV": "", "HOME": NSTemporaryDirectory()])
        #expect(r.status == 2)
        #expect(r.stderr.contains("verilator not found on PATH"))
    }

    /// The main job on a small configuration: bit-exact, the latency the generator predicts, a
    /// precision row per d, the files written.
    @Test func flowReportsABitExactRun() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Self.run(["flow", "iternorm", "--format", "bf16", "--mode", "rmsnorm", "--lanes", "2", "--d-max", "8",
                              "--d", "2,8", "--vectors", "14", "--no-synth", "--json", "--out", out.path,
                              "--report", out.appendingPathComponent("report").path, "--report-d", "8", "--report-trials", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try Self.json(r.stdout)
        #expect(report["mismatches"] as? Int == 0)
        let dims = try #require(report["cosimulation"] as? [[String: Any]])
        #expect(dims.map { $0["d"] as? Int } == [2, 8])
        for dim in dims {
            let cosim = try #require(dim["report"] as? [String: Any])
            #expect(cosim["vectors"] as? Int == 14)
            #expect(cosim["latency_cycles"] as? Int == dim["predicted_latency_cycles"] as? Int)
        }
        let precision = try #require(report["precision"] as? [[String: Any]])
        #expect(precision.count == 2)
        let files = try #require(report["files"] as? [String])
        #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) } && files.count > 3)
        // --report: the HTML page, without the area section (--no-synth).
        let page = try String(contentsOfFile: try #require(report["report_page"] as? String), encoding: .utf8)
        #expect(page.contains("bit-exact against the golden model") && !page.contains("Area and paths"))
    }

    /// The whole flow with synthesis (hierarchy kept so that it takes seconds): both Yosys flows
    /// (run side by side), the path budget against the FP32 multiplier with a 1.2 limit and the
    /// BF16 one for comparison, and the Xilinx resources.
    @Test func flowSynthesizesWithBothFlows() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-cli-flow-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var environment = ProcessInfo.processInfo.environment
        environment["NORMFORGE_CACHE"] = scratch.appendingPathComponent("cache").path
        let r = try Self.run(["flow", "iternorm", "--format", "bf16", "--lanes", "2", "--d-max", "4", "--d", "4",
                              "--vectors", "12", "--no-flatten", "--json", "--out", scratch.appendingPathComponent("sv").path],
                             environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try Self.json(r.stdout)
        let synthesis = try #require(report["synthesis"] as? [String: Any])
        #expect(synthesis["flattened"] as? Bool == false)
        #expect((synthesis["generic_cells"] as? Int ?? 0) > 1000)
        #expect((synthesis["memory_bits"] as? Int ?? 0) > 0)
        let xilinx = try #require(synthesis["xilinx"] as? [String: Any])
        #expect((xilinx["luts"] as? Int ?? 0) > 100 && (xilinx["dsps"] as? Int ?? 0) > 0)
        let budgets = try #require(synthesis["path_budgets"] as? [[String: Any]])
        #expect(budgets.map { $0["multiplier"] as? String } == ["FPMul_e8f23_s0", "FPMul_e8f7_s0"])
        #expect(budgets[0]["limit"] as? Double == 1.2 && budgets[1]["limit"] == nil)
        #expect((budgets[0]["ratio"] as? Double ?? 9) <= 1.2)
    }

    /// `synth` through the shared report: generic cells and path, budget against the multiplier,
    /// and a second run served from the Yosys cache.
    @Test func synthReportsAndCaches() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-cli-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        var environment = ProcessInfo.processInfo.environment
        environment["NORMFORGE_CACHE"] = cache.path
        let arguments = ["synth", "bfp-convert", "--preset", "mxint8", "--lanes", "4", "--no-xilinx", "--json"]
        let first = try Self.run(arguments, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let report = try Self.json(first.stdout)
        #expect((report["generic_cells"] as? Int ?? 0) > 100)
        #expect((report["longest_path_cells"] as? Int ?? 0) > 5)
        #expect(report["from_cache"] as? Bool == false)
        #expect(report["xilinx"] == nil)
        let rerun = try Self.run(arguments, environment: environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let second = try Self.json(rerun.stdout)
        #expect(second["from_cache"] as? Bool == true)
        #expect(second["generic_cells"] as? Int == report["generic_cells"] as? Int)
    }
}
