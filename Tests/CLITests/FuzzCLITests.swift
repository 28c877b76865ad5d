import Foundation
import Testing

/// `normforge fuzz dsl` and `fuzz merge`: the JSON figures, shards, and exit 2 on bad input.
@Suite struct FuzzCLITests {
    @Test func shardsMergeIntoTheWholeRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nf-fuzz-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for first in [0, 3] {
            let r = try CLITests.run(["fuzz", "dsl", "--first", "\(first)", "--designs", "3", "--batch", "3", "--cycles", "40", "--seed", "11", "--json"])
            #expect(r.status == 0, "\(r.stdout.suffix(2000)) \(r.stderr)")
            let report = try CLITests.json(r.stdout)
            #expect(report["designs"] as? Int == 3 && report["first"] as? Int == first)
            #expect(report["backends"] as? [String] == ["ir-sim", "verilator", "icarus", "yosys-netlist"])
            #expect(report["diagnostic_mismatches"] as? Int == 0 && report["mutants"] as? Int == 3)
            let path = dir.appendingPathComponent("shard-\(first).json").path
            try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let merged = try CLITests.run(["fuzz", "merge", "--json"] + paths)
        #expect(merged.status == 0, "\(merged.stderr)")
        let report = try CLITests.json(merged.stdout)
        #expect(report["designs"] as? Int == 6 && report["batches"] as? Int == 2 && report["first"] as? Int == 0)
        #expect(report["disagreements"] as? Int == 0 && report["crashes"] as? Int == 0)
        #expect((report["checks"] as? Int ?? 0) > 0 && (report["cycles"] as? Int ?? 0) > 6 * 40)
        let constructs = try #require(report["constructs"] as? [String: Int])
        #expect((constructs["Input"] ?? 0) >= 6)
        let text = try CLITests.run(["fuzz", "merge"] + paths)
        #expect(text.status == 0 && text.stdout.contains("designs               6 (0..<6, seed 11), 2 batches"))
    }

    @Test func badInputExitsTwo() throws {
        let backend = try CLITests.run(["fuzz", "dsl", "--backends", "ir,modelsim"])
        #expect(backend.status == 2)
        #expect(backend.stderr == "normforge: error: unknown backend 'modelsim' (ir, verilator, icarus, yosys-netlist)\n")
        let yosys = try CLITests.run(["fuzz", "dsl", "--yosys", "abc"])
        #expect(yosys.status == 2 && yosys.stderr.contains("--yosys must be coarse, full or off"))
        let merge = try CLITests.run(["fuzz", "merge", "/nonexistent/shard.json"])
        #expect(merge.status == 2 && merge.stderr == "normforge: error: cannot read /nonexistent/shard.json\n")
    }
}
