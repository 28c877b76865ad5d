import Cosim
import Foundation
import Testing

/// `normforge report iternorm`: one self-contained HTML page (inline SVG, no script, nothing
/// fetched), its figures measured in the run, and the page rendered by the real headless Chromium
/// to a PNG that is not blank (scripts/png-check.py decodes it).
@Suite struct ReportCLITests {
    init() { ProjectTools.activate() }

    static let pngCheck = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/png-check.py")

    @Test func reportIsSelfContainedMeasuredAndRendersInChromium() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let png = out.appendingPathComponent("shot.png")
        let r = try CLITests.run(["report", "iternorm", "--format", "bf16", "--mode", "rmsnorm", "--lanes", "2", "--d-max", "8",
                                  "--report-vectors", "6", "--report-trials", "2", "--no-xilinx", "--screenshot", png.path,
                                  "--out", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try CLITests.json(r.stdout)
        let timing = try #require(report["timing"] as? [[String: Any]])
        #expect(timing.map { $0["d"] as? Int } == [2, 4, 8])
        for row in timing {
            #expect(row["mismatches"] as? Int == 0)
            #expect(row["latency_cycles"] as? Int == row["predicted_latency_cycles"] as? Int)
        }
        let precision = try #require(report["precision"] as? [[String: Any]])
        #expect(precision.count == 3 && precision.allSatisfy { ($0["fisr"] as? [String: Any])?.count == 2 })
        let units = try #require(report["units"] as? [[String: Any]])
        #expect(units.contains { ($0["module"] as? String)?.hasPrefix("FPMul_") == true && ($0["instances"] as? Int ?? 0) > 0 })

        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 5)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"))
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "http") == nil)
        #expect(html.contains("bit-exact against the golden model (0 mismatches)"))

        let python = try CLITests.venvTool("python")
        let check = try CLITests.launch(python, [Self.pngCheck.path, png.path, "--min-ink", "0.02", "--min-colours", "50"])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.hasPrefix("1280x1900, ink "))
    }

    /// `--asic`: the standard-cell section (the 2-lane macro the gate-level and explore tests map).
    @Test func reportWithASICHasTheStandardCellSection() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLITests.run(["report", "iternorm", "--lanes", "2", "--d-max", "8", "--report-d", "8", "--report-vectors", "3",
                                  "--report-trials", "1", "--no-synth", "--asic", "--out", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try CLITests.json(r.stdout)
        let asic = try #require(report["asic"] as? [String: Any])
        let period = try #require(asic["minimum_period_nanoseconds"] as? Double)
        #expect(period > 1 && period < 100)
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<h2>Standard cells (osu018_stdcells), OpenSTA</h2>"))
        #expect(html.contains(String(format: "<b>%.2f ns</b>", period)))
        #expect(html.contains("Longest path of each module alone (FO4)") && html.contains("FPMul_"))
    }

    @Test func badReportOptionsExitTwo() throws {
        let r = try CLITests.run(["report", "iternorm", "--lanes", "4", "--d-max", "16", "--report-vectors", "2", "--out", "/tmp/normforge-never"])
        #expect(r.status == 2)
        #expect(r.stderr == "normforge: error: --report-vectors must be at least 3 (latency, then a stream)\n")
    }
}
