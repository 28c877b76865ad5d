import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// FP -> BFP and BFP -> FP circuits co-simulated (Verilator) bit for bit against the golden model
/// over the edge classes and random blocks, for every MX preset, an HBFP ceil/INT preset and every
/// rounding mode. NORMFORGE_LONG=1 raises the random blocks to 1e5 per configuration.
@Suite(.serialized) struct BFPConverterCosimTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let preset: String
        let rounding: BFPRounding
        let source: FloatFormat
        let lanes: Int
        var flush = false
        var testDescription: String { "\(preset) \(rounding.rawValue) \(source) P=\(lanes)\(flush ? " flush" : "")" }

        func config() throws -> BFPConverterConfig {
            let p = try BFPFormat.preset(named: preset)
            let format = try BFPFormat(blockSize: p.blockSize, element: p.element, rule: p.rule, rounding: rounding,
                                       flushSubnormals: flush)
            return try BFPConverterConfig(floatFormat: source, bfp: format, lanes: lanes, seed: 0xC0FFEE)
        }
    }

    /// Every MX preset, the HBFP ceil/INT preset, every rounding, every source format, subnormal
    /// flushing, one block per beat and blocks over 2, 4 and 8 beats.
    static let matrix: [Case] = [
        Case(preset: "mxint8", rounding: .nearestEven, source: .fp32, lanes: 32),
        Case(preset: "mxfp8-e4m3", rounding: .nearestEven, source: .bf16, lanes: 8),
        Case(preset: "mxfp8-e5m2", rounding: .nearestAway, source: .fp16, lanes: 8),
        Case(preset: "mxfp6-e3m2", rounding: .towardZero, source: .fp32, lanes: 16),
        Case(preset: "mxfp6-e2m3", rounding: .stochastic, source: .bf16, lanes: 32),
        Case(preset: "mxfp4-e2m1", rounding: .nearestEven, source: .fp16, lanes: 4, flush: true),
        Case(preset: "hbfp8", rounding: .nearestEven, source: .fp32, lanes: 16),
        Case(preset: "mxint8", rounding: .stochastic, source: .bf16, lanes: 4),
    ]

    static var randomBlocks: Int { ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1" ? 100_000 : 1500 }

    @Test(arguments: matrix)
    func convertersMatchGolden(_ c: Case) throws {
        let config = try c.config()
        let stimulus = try BFPConverterStimulus(config: config, randomBlocks: Self.randomBlocks, seed: 2026)

        let q = try BFPCosimulation.runQuantizer(stimulus, backend: .verilator)
        #expect(q.beats == stimulus.blocks.count * config.beatsPerBlock)
        #expect(q.mismatches == 0, "FP -> BFP \(c.testDescription): \(q.mismatches) mismatches, first: \(q.mismatchDetails)")

        let d = try BFPCosimulation.runDequantizer(stimulus, backend: .verilator)
        #expect(d.beats == stimulus.bfpBlocks.count * config.beatsPerBlock)
        #expect(d.mismatches == 0, "BFP -> FP \(c.testDescription): \(d.mismatches) mismatches, first: \(d.mismatchDetails)")
    }

    /// The same driver on the IR simulator, and replayed in Icarus, for two configurations.
    @Test(arguments: [SimulationBackend.irSim, .icarus])
    func otherBackendsMatchGolden(_ backend: SimulationBackend) throws {
        for c in [Self.matrix[1], Self.matrix[7]] {
            let config = try c.config()
            let stimulus = try BFPConverterStimulus(config: config, randomBlocks: 24, seed: 11)
            let q = try BFPCosimulation.runQuantizer(stimulus, backend: backend)
            #expect(q.beats == stimulus.blocks.count * config.beatsPerBlock)
            #expect(q.mismatches == 0, "\(backend) FP -> BFP \(c.testDescription): \(q.mismatchDetails)")
            let d = try BFPCosimulation.runDequantizer(stimulus, backend: backend)
            #expect(d.beats == stimulus.bfpBlocks.count * config.beatsPerBlock)
            #expect(d.mismatches == 0, "\(backend) BFP -> FP \(c.testDescription): \(d.mismatchDetails)")
        }
    }

    @Test func badConfigurationsAreErrors() throws {
        let mx = try BFPFormat.preset(named: "mxint8")
        #expect(throws: BFPFormatError.self) { try BFPConverterConfig(floatFormat: .fp64, bfp: mx) }
        #expect(throws: BFPFormatError.self) { try BFPConverterConfig(floatFormat: .fp32, bfp: mx, lanes: 5) }
        #expect(throws: BFPFormatError.self) { try BFPConverterConfig(floatFormat: .fp32, bfp: mx, seed: 0) }
        let long = try BFPFormat(blockSize: 256, element: .int(magnitudeBits: 7))
        #expect(throws: BFPFormatError.self) { try BFPConverterConfig(floatFormat: .fp32, bfp: long, lanes: 2) }
        let noFraction = FloatFormat(name: "e3m0", exponentBits: 3, fractionBits: 0, specials: .finiteOnly)
        #expect(throws: BFPFormatError.self) {
            try BFPConverterConfig(floatFormat: .fp32, bfp: BFPFormat(blockSize: 4, element: .float(noFraction)))
        }
    }
}
