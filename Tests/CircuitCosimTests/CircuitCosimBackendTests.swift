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

    /// The wide mode's extra stages (`* d`, the seed) on the IR simulator and in Icarus.
    @Test(arguments: slowBackends)
    func wideIterNormMatchesGolden(_ backend: SimulationBackend) throws {
        let macro = try IterNormMacro(IterNormConfig(format: .fp32, lanes: 4, dMax: 16, mode: .layerNorm, eps: 1e-3, wide: true))
        var stimulus = IterNormStimulus(macro.config, seed: 4)
        let vectors = (0..<(IterNormStimulus.edgeKinds.count + 4)).map { stimulus.vector($0, d: 16) }
        let report = try IterNormCosimulation(macro: macro, backend: backend).run(vectors, backPressure: 0.25, seed: 4)
        #expect(report.mismatches == 0, "\(report.mismatchDetails.map(\.description).joined(separator: "\n"))")
        #expect(report.latencyCycles == macro.latency(d: 16))
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

    /// A stream through a one-register pipeline with back-pressure; the expected item 5 is wrong
    /// on purpose: the mismatch names item 5 (mapped from its cycle on every backend, Icarus
    /// included) and decodes the differing lane.
    @Test(arguments: slowBackends + [.verilator])
    func streamMismatchesNameTheirItem(_ backend: SimulationBackend) throws {
        let design = try Design(top: Module("LaneStage") {
            let inValid = Input("in_valid", .bool), inData = Input("in_data", .uint(32))
            let outReady = Input("out_ready", .bool)
            let inReady = Output("in_ready", .bool), outValid = Output("out_valid", .bool)
            let outData = Output("out_data", .uint(32))
            let full = Reg("full", .bool, reset: 0)
            let held = Reg("held", .uint(32))
            let take = inValid && (!full || outReady)
            When(take) { held <== inData }
            full <== take || (full && !outReady)
            inReady <== !full || outReady
            outValid <== full
            outData <== held
        })
        let f = FloatFormat.fp16
        let items = (0..<8).map { i in [f.fromDouble(Double(i)), f.fromDouble(Double(-i))] }
        var expected = items
        expected[5][1] = f.fromDouble(0.5)
        let tb = try CircuitTestbench(design, backend: backend, layouts: ["out_data": .float(f)])
        try tb.poke("in_valid", false)
        try tb.poke("out_ready", false)
        try tb.testbench.reset()
        let source = StreamInterface(valid: "in_valid", ready: "in_ready", data: ["in_data"])
        let sink = StreamInterface(valid: "out_valid", ready: "out_ready", data: ["out_data"])
        _ = try tb.stream(items.map { ["in_data": BitVector(lanes: $0, laneWidth: 16)] }, into: source,
                          expect: expected.map { ["out_data": BitVector(lanes: $0, laneWidth: 16)] }, from: sink,
                          options: StreamOptions(seed: 9, bubbleProbability: 0.3, backpressureProbability: 0.3)) { i in
            (i, "item \(i)")
        }
        let (count, mismatches) = try tb.finish()
        #expect(count == 1)
        let mismatch = try #require(mismatches.first)
        #expect(mismatch.vector == 5, "\(mismatch)")
        #expect(mismatch.message.hasPrefix("item 5; lane 1: expected 0x3800"), "\(mismatch)")
        #expect(mismatch.message.contains("= -5.0"), "\(mismatch)")
    }

    @Test func lanesPackAcrossWordBoundaries() {
        let value = BitVector(lanes: [0x1_FFFF_FFFF, 0x1, 0x1_2345_6789], laneWidth: 33)
        #expect(value.width == 99)
        #expect(value.lanes(width: 33) == [0x1_FFFF_FFFF, 0x1, 0x1_2345_6789])
        #expect(value.lane(2, width: 33) == 0x1_2345_6789 && value.lane(3, width: 33) == 0)
        #expect(LaneLayout.integer(width: 4, signed: true).describe(0xF) == "0xf (-1)")
    }
}
