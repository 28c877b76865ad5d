import Cosim
import DSLFuzz
import Foundation
import HDL
import Testing

/// The random designs are legal and reproducible, and agree on every backend.
@Suite struct DifferentialFuzzTests {
    init() { ProjectTools.activate() }

    @Test func designsAreReproducibleAndElaborate() throws {
        for index in 0..<60 {
            let a = RandomModule(seed: 7, index: index, name: "probe\(index)")
            let b = RandomModule(seed: 7, index: index, name: "probe\(index)")
            let design = try Design(top: a.module)
            #expect(SystemVerilogEmitter().emitSingleText(design) == SystemVerilogEmitter().emitSingleText(try Design(top: b.module)))
            #expect(a.constructs == b.constructs)
        }
    }

    /// Seed 1 designs 0 and 7 made Icarus 11.0 loop forever at time 0 on their always_comb blocks
    /// (iverilog issue #508); IcarusRunner compiles them as `always @*` (docs/fuzzing.md).
    @Test func aSmallRunAgreesEverywhere() throws {
        let report = DifferentialFuzz(seed: 1, designs: 20, batchSize: 10, cycles: 100).run()
        #expect(report.passed, "\(report.failures.prefix(5))")
        #expect(report.designs == 20 && report.checks > 0)
    }
}
