import Foundation
import Testing

/// `normforge synth <circuit> --asic` and `cosim <circuit> --gate-level` with the real Yosys,
/// OpenSTA and Verilator on the OSU 0.18 um cells: the figures' JSON, a gate-level run per circuit
/// kind, a netlist with one cell swapped caught by name, and a bad Liberty file refused.
@Suite(.serialized) struct ASICCLITests {
    static let deconverter = ["bfp-deconvert", "--preset", "mxint8", "--lanes", "4"]

    @Test func synthASICReportsAreaTimingAndPower() throws {
        let r = try CLITests.run(["synth"] + Self.deconverter + ["--asic", "--clock-mhz", "100", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLITests.json(r.stdout)
        let area = try #require(json["area"] as? [String: Any])
        #expect((area["total_area"] as? Double ?? 0) > 10_000, "\(area)")
        #expect(area["nand2_cell"] as? String == "NAND2X1")
        let fo4 = try #require(json["fo4"] as? [String: Any])
        #expect((50...200).contains(fo4["picoseconds"] as? Double ?? 0), "\(fo4)")
        let fmax = try #require(json["fmax_mhz"] as? Double)
        let period = try #require(json["minimum_period_nanoseconds"] as? Double)
        #expect(abs(fmax * period - 1000) < 1e-6 && period > 0.5 && period < 50)
        #expect(json["target_clock_mhz"] as? Double == 100)
        let power = try #require(json["power"] as? [String: Any])
        #expect(power["activity"] as? String == "propagated")
        #expect((power["total_watts"] as? Double ?? 0) > 0)
        #expect((json["library"] as? [String: Any])?["sha256"] as? String != nil)
    }

    /// The range-BN unit reports power too: OpenSTA 2.0.17 crashed in report_power on its
    /// constant-tied pins until they became undriven nets (StaticTimingAnalyzer).
    @Test func synthASICRangeBNReportsPower() throws {
        let r = try CLITests.run(["synth", "range-bn", "--channels", "4", "--positions", "8", "--chunks", "2",
                                  "--block", "4", "--lanes", "2", "--asic", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLITests.json(r.stdout)
        let power = try #require(json["power"] as? [String: Any])
        #expect((power["total_watts"] as? Double ?? 0) > 0, "\(power)")
        #expect((json["fmax_mhz"] as? Double ?? 0) > 1)
    }

    /// One small gate-level run per circuit kind, bit-exact against the golden model.
    @Test(arguments: [
        ["cosim", "bfp-convert", "--preset", "mxint8", "--lanes", "4", "--blocks", "40"],
        ["cosim", "range-bn", "--channels", "4", "--positions", "8", "--chunks", "2", "--block", "4", "--lanes", "2", "--blocks", "4"],
        ["cosim", "iternorm", "--lanes", "2", "--d-max", "8", "--d", "8", "--vectors", "20"],
    ])
    func gateLevelRunIsBitExact(_ arguments: [String]) throws {
        let r = try CLITests.run(arguments + ["--gate-level", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLITests.json(r.stdout)
        #expect(json["mismatches"] as? Int == 0)
        let gates = try #require(json["gate_level"] as? [String: Any])
        #expect((gates["cells"] as? Int ?? 0) > 100, "\(gates)")
    }

    @Test func gateLevelPowerComesFromTheRunsActivity() throws {
        let r = try CLITests.run(["cosim"] + Self.deconverter + ["--blocks", "50", "--gate-level", "--power", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLITests.json(r.stdout)
        #expect(json["mismatches"] as? Int == 0)
        let gates = try #require(json["gate_level"] as? [String: Any])
        let power = try #require(gates["power"] as? [String: Any])
        #expect(power["activity"] as? String == "simulated")
        let annotated = power["annotated_nets"] as? Int ?? 0, nets = power["nets"] as? Int ?? 0
        #expect(annotated > nets / 2, "\(power)")
        #expect((gates["picojoules_per_element"] as? Double ?? 0) > 0.1)
    }

    /// The sign-off check: the written netlist passes as is, and with one XOR2X1 turned into an
    /// XNOR2X1 fails with the mismatching output named.
    @Test func aSwappedCellFailsGateLevelCosimulation() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-asic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let synth = try CLITests.run(["synth"] + Self.deconverter + ["--asic", "--netlist-out", out.path])
        #expect(synth.status == 0, "\(synth.stderr)")
        let netlist = out.appendingPathComponent("netlist.v")
        let good = try CLITests.run(["cosim"] + Self.deconverter + ["--blocks", "40", "--gate-level", "--netlist", netlist.path])
        #expect(good.status == 0, "\(good.stderr)")
        let text = try String(contentsOf: netlist, encoding: .utf8)
        let cell = try #require(text.range(of: "  XOR2X1 "))
        let broken = out.appendingPathComponent("broken.v")
        try text.replacingCharacters(in: cell, with: "  XNOR2X1 ").write(to: broken, atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["cosim"] + Self.deconverter + ["--blocks", "40", "--gate-level", "--netlist", broken.path])
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect((bad.stdout + bad.stderr).contains("mismatch"), "\(bad.stdout)\(bad.stderr)")
        #expect((bad.stdout + bad.stderr).contains("out_data"), "\(bad.stdout)\(bad.stderr)")
    }

    @Test func aMissingOrMalformedLibertyIsBadInput() throws {
        let malformed = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-bad-\(UUID().uuidString).lib")
        defer { try? FileManager.default.removeItem(at: malformed) }
        try "library (broken) {\n  cell (INVX1) {\n    area : ;\n".write(to: malformed, atomically: true, encoding: .utf8)
        for liberty in ["/nonexistent/cells.lib", malformed.path] {
            for command in [["synth"] + Self.deconverter + ["--asic"], ["cosim"] + Self.deconverter + ["--gate-level"]] {
                let r = try CLITests.run(command + ["--liberty", liberty])
                #expect(r.status == 2, "\(command) \(liberty): \(r.stderr)")
                #expect(r.stdout.isEmpty)
                let lines = r.stderr.split(separator: "\n")
                #expect(lines.count == 1 && lines.first?.contains(liberty) == true, "\(r.stderr)")
            }
        }
    }
}
