import Foundation
import Testing

/// `normforge precision --search`: one JSON result per (format, mode, d) with the worst input,
/// and one-line errors with exit 2 for bad input.
@Suite struct PrecisionSearchCLITests {
    @Test func searchReportsTheWorstInputPerConfiguration() throws {
        let r = try CLITests.run(["precision", "--search", "--format", "fp16", "--accumulate", "wide", "--dims", "128,192",
                                  "--mode", "layernorm", "--lanes", "64", "--evaluations", "600", "--seed", "4", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let searches = try #require(try CLITests.json(r.stdout)["searches"] as? [[String: Any]])
        #expect(searches.map { $0["d"] as? Int } == [128, 192])
        for s in searches {
            #expect(s["format"] as? String == "fp16" && s["accumulate"] as? String == "wide" && s["evaluations"] as? Int == 600)
            let worst = try #require(s["worst_ulp_error"] as? Double)
            #expect(worst <= 1, "FP16's wide sum is exact for every input: \(worst) ulp")
            let chains = try #require(s["chains"] as? [[String: Any]])
            let withVector = chains.filter { $0["x"] != nil }
            #expect(withVector.count == 1 && (withVector.first?["x"] as? [String])?.count == s["d"] as? Int)
        }
    }

    @Test(arguments: [
        ["--search", "--dims", "100", "--evaluations", "100"],
        ["--search", "--evaluations", "100"],
        ["--search", "--dims", "128", "--mode", "batchnorm"],
        ["--search", "--dims", "128", "--evaluations", "2"],
    ])
    func badInputIsExitTwo(_ arguments: [String]) throws {
        let r = try CLITests.run(["precision", "--format", "fp32"] + arguments)
        #expect(r.status == 2, "\(arguments): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
