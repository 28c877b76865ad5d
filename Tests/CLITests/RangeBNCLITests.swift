import Foundation
import Testing

/// `normforge generate|cosim range-bn --pass forward|backward|inference [--conventional]`: the
/// files each pass writes, and the co-simulation's JSON figures and exit status.
@Suite struct RangeBNCLITests {
    static let small = ["--channels", "8", "--positions", "16", "--chunks", "4", "--block", "8", "--lanes", "4"]

    @Test(arguments: [(["--pass", "forward"], "rangebn_c8"), (["--pass", "backward"], "rangebn_train_c8"),
                      (["--pass", "inference"], "rangebn_infer_c8"), (["--pass", "backward", "--conventional"], "conventional_bn_train_c8")])
    func generateWritesEachUnit(_ pass: [String], _ prefix: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-rangebn-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLITests.run(["generate", "range-bn"] + pass + Self.small + ["--out", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLITests.json(r.stdout)
        #expect((json["design"] as? String)?.hasPrefix(prefix) == true, "\(json)")
        #expect((json["latency_cycles"] as? Int ?? 0) > 0 && (json["elements_per_cycle"] as? Double ?? 0) > 0)
    }

    @Test func backwardCosimReportsGradientFigures() throws {
        let r = try CLITests.run(["cosim", "range-bn", "--pass", "backward", "--blocks", "0", "--backend", "ir-sim", "--json"] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLITests.json(r.stdout)
        #expect(json["mismatches"] as? Int == 0)
        #expect(json["direction"] as? String == "range-bn-backward")
        #expect((json["parameter_gradients"] as? Int ?? 0) > 0 && (json["backward_latency_cycles"] as? Int ?? 0) > 0)
    }

    @Test func inferenceCosimBackToBackReportsTheSustainedRate() throws {
        let r = try CLITests.run(["cosim", "range-bn", "--pass", "inference", "--back-to-back", "--blocks", "64", "--backend", "ir-sim", "--json"]
                                 + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLITests.json(r.stdout)
        #expect(json["mismatches"] as? Int == 0)
        #expect((json["sustained_elements_per_cycle"] as? Double ?? 0) > 3)
    }
}
