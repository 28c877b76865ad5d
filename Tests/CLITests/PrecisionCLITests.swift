import Foundation
import Testing

/// `normforge precision --accumulate wide` reaches the issue's figures on a few lengths, and
/// `--plot` writes the trade-off SVG with the checked-in synthesis figures.
@Suite struct PrecisionCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: ["fp32", "bf16"])
    func wideModeIsAtTheLimit(_ format: String) throws {
        let r = try CLITests.run(["precision", "--format", format, "--accumulate", "wide", "--dims", "768,4096",
                                  "--trials", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try CLITests.json(r.stdout)
        #expect(report["accumulate"] as? String == "wide")
        let dims = try #require(report["dims"] as? [[String: Any]])
        #expect(dims.count == 2)
        for dim in dims {
            let distributions = try #require(dim["distributions"] as? [String: [String: [String: Any]]])
            #expect(distributions.count == 3)
            for (name, methods) in distributions {
                let k5 = try #require(methods["iternorm_scalar_k5"])
                let ratio = try #require(k5["mean_error_vs_rounded"] as? Double)
                let ulps = try #require(k5["max_ulp_error"] as? Double)
                #expect(ratio <= 1.25 && ulps <= 1, "\(format) d=\(dim["d"]!) \(name): \(ratio)x, \(ulps) ulp")
                #expect(methods["iternorm_vector_k5"] == nil, "the wide mode is the scalar form's")
                // FISR keeps the default arithmetic: far from the limit on the shifted inputs.
                if name == "shifted", let fisr = methods["fisr_2"]?["mean_error_vs_rounded"] as? Double {
                    #expect(fisr > 10)
                }
            }
        }
    }

    @Test func plotDrawsEveryModeAndTheAreaPoints() throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("precision-\(UUID()).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        let areas = ["bf16-layernorm-same", "bf16-layernorm-fp32", "bf16-layernorm-wide"].flatMap {
            ["--area", Self.root.appendingPathComponent("docs/data/synth-iternorm-p64-\($0).json").path]
        }
        let r = try CLITests.run(["precision", "--format", "bf16", "--dims", "64,768", "--trials", "1",
                                  "--plot", svg.path] + areas)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: svg, encoding: .utf8)
        #expect(text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(text.hasSuffix("</svg>\n"))
        #expect(text.components(separatedBy: "<polyline").count - 1 == 3)
        // A BF16 point is a square: one in the panel and one in its key, per mode.
        #expect(text.components(separatedBy: "width=\"10\" height=\"10\"").count - 1 == 6)
        for mode in ["same", "fp32", "wide"] { #expect(text.contains(">bf16 \(mode)")) }
        #expect(text.contains(">bf16 wide: 1.00x, 395k LUT</text>"))
    }
}
