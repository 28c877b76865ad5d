import Foundation
import Testing

/// `cosim iternorm --coverage DIR`: a Verilator coverage build, its database, the lcov tracefile
/// (verilator_coverage), genhtml's pages, and the functional points of the macro's control hit.
@Suite struct CoverageCLITests {
    @Test func cosimWritesCoverageAndHitsTheControlPoints() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-coverage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLITests.run(["cosim", "iternorm", "--lanes", "4", "--d-max", "16", "--d", "16", "--vectors", "120",
                                  "--back-pressure", "0.3", "--cxx-opt", "0", "--coverage", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try CLITests.json(r.stdout)
        #expect(report["mismatches"] as? Int == 0)
        let coverage = try #require(report["coverage"] as? [String: Any])
        let kinds = try #require(coverage["kinds"] as? [[String: Any]])
        #expect(Set(kinds.compactMap { $0["kind"] as? String }).isSuperset(of: ["line", "toggle", "user"]))
        let points = try #require(coverage["points"] as? [[String: Any]])
        let control = points.filter { ($0["module"] as? String)?.hasPrefix("IterNorm_") == true }
        let names = Set(control.compactMap { $0["name"] as? String })
        #expect(names == ["slot_0_claimed", "slot_1_claimed", "slot_2_claimed", "all_slots_busy", "input_stalled",
                          "output_back_pressure", "output_beat", "nan_vector_beat", "degenerate_vector_beat"])
        for point in control { #expect((point["hits"] as? Int ?? 0) > 0, "\(point)") }
        #expect(points.contains { $0["module"] as? String == "FPMul_e8f23" && $0["name"] as? String == "tie" })
        for key in ["data", "lcov_info", "html"] {
            let path = try #require(coverage[key] as? String, "\(key)")
            #expect(FileManager.default.fileExists(atPath: path), "\(path)")
        }
        let info = try String(contentsOfFile: coverage["lcov_info"] as? String ?? "", encoding: .utf8)
        #expect(info.contains("SF:FPAdd_e8f23.sv") && info.contains("end_of_record"))
    }

    @Test func coverageNeedsVerilator() throws {
        let r = try CLITests.run(["cosim", "iternorm", "--lanes", "4", "--d-max", "16", "--d", "16", "--backend", "icarus",
                                  "--coverage", "/tmp/normforge-never"])
        #expect(r.status == 2)
        #expect(r.stderr == "normforge: error: --coverage needs --backend verilator\n")
    }
}
