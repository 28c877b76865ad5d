import Foundation
import Testing
import Cosim

@Suite struct CosimBenchmarkTests {
    /// A short run of the benchmark: every loop checks its outputs, so success means all three
    /// simulators computed the MAC correctly; the JSON carries the agreed keys.
    @Test func shortRunReportsEveryFigure() throws {
        let result = try CosimBenchmark(testbenches: Fixtures.testbenches, cycles: 20_000, icarusCycles: 300,
                                        repetitions: 1).run()
        #expect(result.inprocessCyclesPerS > 0 && result.cppCyclesPerS > 0 && result.cppDirectCyclesPerS > 0)
        #expect(result.icarusCyclesPerS > 0 && result.compileColdS > 0 && result.compileCachedS >= 0)
        #expect(result.cachedVerilatorRuns == 0)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any]
        for key in ["design", "cycles", "inprocess_cycles_per_s", "cpp_cycles_per_s", "icarus_cycles_per_s",
                    "compile_cold_s", "compile_cached_s"] {
            #expect(json?[key] != nil, "missing \(key)")
        }
    }
}
