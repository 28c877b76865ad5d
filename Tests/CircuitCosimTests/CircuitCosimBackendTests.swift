import CircuitCosim
import Circuits
import Cosim
import Golden
import HDL
import Testing

/// The circuit drivers on the two slower backends (the Verilator sweeps live in CircuitsTests):
/// a small IterNorm configuration bit-exact on the IR simulator and in Icarus, and mismatches
/// that read the same on both (vector, cycle, lanes decoded).
@Suite struct CircuitCosimBackendTests {
    static let slowBackends: [SimulationBackend] = [.irSim, .icarus]

    @Test(arguments: slowBackends)
    func iterNormMatchesGolden(_ backend: SimulationBackend) throws {
        let macro = try IterNormMacro(IterNormConfig(format: .bf16, lanes: 4, dMax: 16, mode: .layerNorm))
        var stimulus = IterNormStimulus(macro.config, seed: 3)
        let vectors = (0..<(IterNormStimulus.edgeKinds.count + 4)).map { stimulus.vector($0, d: 8) }
        let report = try IterNormCosimulation(macro: macro, backend: backend).run(vectors, backPressure: 0.25, seed: 3)
        #expect(report.backend == backend.rawValue)
        #expect(report.vectors == vectors.count)
        #expect(report.mismatches == 0, "\(report.mismatchDetails.map(\.description).joined(separator: "\n"))")
        #expect(report.latencyCycles == macro.latency(d: 8))
        #expect(report.cyclesPerVector > 0)
    }

    /// Two FP16 lanes through one register; the second lane is expected wrong on purpose.
    @Test(arguments: slowBackends + [.verilator])
    func mismatchesNameVectorCycleAndDecodedLanes(_ backend: SimulationBackend) throws {
        let design = try Design(top: Module("LaneRegister") {
            let x = Input("x", .uint(32))
            let y = Output("y", .uint(32))
            y <== RegNext("held", x)
        })
        let f = FloatFormat.fp16
        let one = f.fromDouble(1), two = f.fromDouble(2), three = f.fromDouble(3)
        let tb = try CircuitTestbench(design, backend: backend, layouts: ["y": .float(f)])
        try tb.poke("x", lanes: [one, two], width: 16)
        try tb.step()
        try tb.expect("y", lanes: [one, two], width: 16, vector: 6, label: "item 6")
        try tb.step(2)
        try tb.expect("y", lanes: [one, three], width: 16, vector: 7, label: "item 7")
        let (count, mismatches) = try tb.finish()
        #expect(count == 1)
        let mismatch = try #require(mismatches.first)
        #expect(mismatch.vector == 7)
        #expect(mismatch.cycle == 3)
        #expect(mismatch.port == "y")
        #expect(mismatch.message.hasPrefix("item 7; lane 1: expected 0x4200"))
        #expect(mismatch.message.contains("= 3.0"), "\(mismatch)")
        #expect(mismatch.message.contains("got 0x4000"), "\(mismatch)")
        #expect(!mismatch.message.contains("lane 0"), "\(mismatch)")
    }

    @Test func lanesPackAcrossWordBoundaries() {
        let value = CircuitTestbench.pack([0x1_FFFF_FFFF, 0x1, 0x1_2345_6789], width: 33)
        #expect(value.width == 99)
        #expect(LaneLayout.integer(width: 33, signed: false).lanes(of: value) == [0x1_FFFF_FFFF, 0x1, 0x1_2345_6789])
        #expect(LaneLayout.integer(width: 4, signed: true).describe(0xF) == "0xf (-1)")
    }
}
