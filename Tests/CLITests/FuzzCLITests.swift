import Foundation
import Testing

/// `normforge fuzz dsl`: the JSON figures, and exit 2 on bad input.
@Suite struct FuzzCLITests {
    @Test func smallRunReportsItsFigures() throws {
        let r = try CLITests.run(["fuzz", "dsl", "--designs", "6", "--batch", "3", "--cycles", "40", "--seed", "11", "--json"])
        #expect(r.status == 0, "\(r.stdout.suffix(2000)) \(r.stderr)")
        let report = try CLITests.json(r.stdout)
        #expect(report["designs"] as? Int == 6 && report["batches"] as? Int == 2)
        #expect(report["disagreements"] as? Int == 0 && report["crashes"] as? Int == 0)
        #expect(report["backends"] as? [String] == ["ir-sim", "verilator", "icarus"])
        #expect((report["checks"] as? Int ?? 0) > 0 && (report["cycles"] as? Int ?? 0) > 6 * 40)
        let constructs = try #require(report["constructs"] as? [String: Int])
        #expect((constructs["Input"] ?? 0) >= 6)
    }

    @Test func badInputExitsTwo() throws {
        let r = try CLITests.run(["fuzz", "dsl", "--backends", "ir,modelsim"])
        #expect(r.status == 2)
        #expect(r.stderr == "normforge: error: unknown backend 'modelsim' (ir, verilator, icarus)\n")
    }
}
