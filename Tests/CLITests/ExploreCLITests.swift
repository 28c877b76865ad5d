import Foundation
import Testing

/// `explore plan iternorm`, the plan's job run by GNU make, `explore merge`: a one-point design
/// space co-simulated, mapped to the OSU 0.18 um cells and timed with the real tools; and a plan
/// whose shard never ran refused by name.
@Suite struct ExploreCLITests {
    /// The 2-lane macro the gate-level tests map too (one mapping in the cache serves both).
    static let grid = ["--lanes", "2", "--formats", "fp32", "--accumulate", "fp32", "--d-max", "8",
                       "--quoted-d", "64", "--vectors", "3"]

    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("normforge-explore-\(UUID().uuidString)")
    }

    @Test func planMakeMergeGivesTheTableAndThePlots() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try CLITests.run(["explore", "plan", "iternorm"] + Self.grid + ["--shards", "1", "--out", dir.path])
        #expect(plan.status == 0, "\(plan.stderr)")
        let make = try CLITests.launch(URL(fileURLWithPath: "/bin/sh"), ["-c", "make -s -f '\(dir.path)/Makefile'"])
        #expect(make.status == 0, "\(make.stderr)")
        let merge = try CLITests.run(["explore", "merge", dir.path, "--json"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let json = try CLITests.json(merge.stdout)
        let points = try #require(json["points"] as? [[String: Any]])
        #expect(points.count == 1)
        let point = try #require(points.first)
        let cosim = try #require(point["cosimulation"] as? [String: Any])
        #expect(cosim["mismatches"] as? Int == 0 && cosim["vectors"] as? Int == 3)
        #expect(cosim["latency_cycles"] as? Int == cosim["predicted_latency_cycles"] as? Int)
        let period = try #require(point["period_nanoseconds"] as? Double)
        #expect(period > 1 && period < 100)
        // The macro built for d = 64: more cycles than at d_max 8, and 8x the memory bits.
        let cycles = try #require(point["latency_cycles_at_quoted_d"] as? Int)
        #expect(cycles > (cosim["latency_cycles"] as? Int ?? .max))
        #expect(abs((point["latency_nanoseconds_at_quoted_d"] as? Double ?? 0) - Double(cycles) * period) < 1e-6)
        let asic = try #require(point["asic"] as? [String: Any]), area = try #require(asic["area"] as? [String: Any])
        #expect(point["memory_bits_at_quoted_d"] as? Int == 8 * (area["memory_bits"] as? Int ?? 0))
        #expect((point["area_at_quoted_d_um2"] as? Double ?? 0) > (point["area_um2"] as? Double ?? .infinity))
        #expect((point["energy_per_vector_picojoules"] as? Double ?? 0) > 0)
        // A single point is on both fronts.
        #expect(json["front_area_latency"] as? [Int] == [0] && json["front_energy_area"] as? [Int] == [0])
        for name in ["pareto-area-latency.svg", "pareto-energy-area.svg"] {
            let svg = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            #expect(svg.hasPrefix("<svg") && svg.contains("P=2") && svg.hasSuffix("</svg>"), "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("explore.json").path))
    }

    @Test func aShardThatNeverRanFailsTheMergeByName() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try CLITests.run(["explore", "plan", "iternorm"] + Self.grid + ["--shards", "1", "--out", dir.path])
        #expect(plan.status == 0, "\(plan.stderr)")
        let merge = try CLITests.run(["explore", "merge", dir.path])
        #expect(merge.status == 1)
        #expect(merge.stderr.contains("shard-0.json missing"), "\(merge.stderr)")
    }

    @Test(arguments: [["--lanes", "3"], ["--formats", "fp64"], ["--vectors", "1"], ["--lanes", "2", "--quoted-d", "63"]])
    func aBadGridIsBadInput(_ arguments: [String]) throws {
        let r = try CLITests.run(["explore", "iternorm", "--d-max", "8"] + arguments)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
