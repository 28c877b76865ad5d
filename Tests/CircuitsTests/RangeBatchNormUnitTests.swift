import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// The range batch-norm unit against `RangeBatchNorm` + the golden output quantizer, bit for bit:
/// every edge class and random tensors, with input bubbles and output back-pressure, on every
/// backend; `NORMFORGE_LONG=1` streams >= 1e5 random blocks through the checked-in configuration.
@Suite struct RangeBatchNormUnitTests {
    static var long: Bool { ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1" }

    /// C = 8 channels in blocks of 8, n = 16 positions in K = 4 chunks, P = 4 lanes.
    static func small(input: BFPElementKind = .int(magnitudeBits: 7),
                      output: BFPElementKind = .float(.e4m3),
                      rounding: BFPRounding = .nearestEven, eps: Double = 1e-5) throws -> RangeBNUnitConfig {
        let golden = try RangeBatchNormConfig(
            channels: 8, positions: 16, chunks: 4, input: BFPFormat(blockSize: 8, element: input),
            output: BFPFormat(blockSize: 8, element: output, rounding: rounding), eps: eps)
        return try RangeBNUnitConfig(golden: golden, lanes: 4, seed: 7)
    }

    static let stalls = StreamOptions(seed: 3, bubbleProbability: 0.2, backpressureProbability: 0.3)

    @Test(arguments: [SimulationBackend.irSim, .verilator, .icarus])
    func edgeClassesAndRandomTensorsMatchGolden(_ backend: SimulationBackend) throws {
        let config = try Self.small()
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: backend == .verilator ? 256 : 16, seed: 11)
        let report = try RangeBNCosimulation.run(stimulus, backend: backend, stalls: Self.stalls)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.beats == stimulus.blockCount * 2)
    }

    @Test func streamsAtTheDocumentedRate() throws {
        let config = try Self.small()
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: 256, seed: 2)
        let report = try RangeBNCosimulation.run(stimulus, backend: .verilator)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.latencyCycles == config.cyclesPerTensor)
    }

    /// Tensors back to back with the same gamma and beta: bit-exact, and the sustained rate is the
    /// documented one (>= 0.9 P on the checked-in configuration).
    @Test func tensorsBackToBackStreamAtTheSustainedRate() throws {
        for config in [try Self.small(), try RangeBNGeneratedFiles.configuration()] {
            let stimulus = try RangeBNStimulus(config: config, randomBlocks: 8 * config.blocksPerTensor, seed: 4)
            let report = try RangeBNCosimulation.run(stimulus, backend: .verilator, backToBack: true)
            #expect(report.mismatches == 0, "\(report.mismatchDetails)")
            let tensors = Double(stimulus.tensors.count), elements = Double(config.golden.positions * config.golden.channels)
            let documented = tensors * elements / (Double(config.cyclesPerTensor) + (tensors - 1) * Double(config.sustainedCyclesPerTensor))
            #expect(abs(report.sustainedElementsPerCycle! - documented) < 1e-9, "\(report.sustainedElementsPerCycle!) vs \(documented): \(tensors * elements / report.sustainedElementsPerCycle!) cycles, \(config.cyclesPerTensor) + \(tensors - 1) x \(config.sustainedCyclesPerTensor)")
        }
        let checkedIn = try RangeBNGeneratedFiles.configuration()
        #expect(checkedIn.sustainedElementsPerCycle >= 0.9 * Double(checkedIn.lanes))
    }

    /// The inference unit on running statistics: every edge class with stalls on every backend,
    /// and one beat (P elements) per cycle back to back: the stream takes its beats plus the
    /// parameter pipeline's and the datapath's latency.
    @Test(arguments: [SimulationBackend.irSim, .verilator, .icarus])
    func inferenceMatchesGolden(_ backend: SimulationBackend) throws {
        let config = try Self.small()
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: backend == .verilator ? 256 : 16, seed: 13)
        let report = try RangeBNCosimulation.run(stimulus, backend: backend, stalls: Self.stalls, inference: true)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.beats == stimulus.blockCount * 2)
        if backend == .verilator {
            let fullRate = try RangeBNCosimulation.run(stimulus, backend: backend, backToBack: true, inference: true)
            #expect(fullRate.mismatches == 0, "\(fullRate.mismatchDetails)")
            let beats = Double(stimulus.tensors.count * config.beatsPerTensor)
            let cycles = Double(stimulus.tensors.count * config.golden.positions * config.golden.channels) / fullRate.sustainedElementsPerCycle!
            // The stream starts as the last parameter load enters its pipeline.
            let fill = config.inferenceLatency + RangeBNInferenceCircuit.parameterLatency(steps: config.golden.newtonSteps)
            #expect(cycles == beats + Double(fill), "\(cycles) cycles for \(beats) beats")
        }
    }

    @Test(arguments: [BFPRounding.nearestAway, .towardZero, .stochastic])
    func outputRoundingModesMatchGolden(_ rounding: BFPRounding) throws {
        let config = try Self.small(output: .int(magnitudeBits: 7), rounding: rounding)
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: 16, seed: 5)
        let report = try RangeBNCosimulation.run(stimulus, backend: .irSim, stalls: Self.stalls)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
    }

    @Test func zeroEpsAndFloatInputsMatchGolden() throws {
        // eps = 0: all-equal channels divide by zero (scale infinity, y = 0 * inf = NaN).
        let config = try Self.small(input: .float(.e5m2), output: .float(.e2m1), eps: 0)
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: 16, seed: 9)
        let report = try RangeBNCosimulation.run(stimulus, backend: .irSim, stalls: Self.stalls)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
    }

    /// The edge-class tensors reach what they are named for (golden model only).
    @Test func edgeClassesHitTheirCases() throws {
        let config = try Self.small()
        let g = config.golden
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: 0, seed: 11)
        var quantizer = try BFPQuantizer(format: g.output, source: .fp32, seed: config.seed)
        let f = FloatFormat.fp32
        for tensor in stimulus.tensors {
            let (y, stats) = try RangeBatchNorm(config: g).normalize(tensor.blocks, gamma: tensor.gamma, beta: tensor.beta)
            let out = try quantizer.quantize(stream: y)
            switch tensor.kind {
            case .allZero: #expect(stats.allSatisfy { $0.mean == 0 && $0.range == 0 })
            case .special, .outputOverflow: #expect(out.contains { $0.isNaN })
            case .scaleOverflow: #expect(stats.contains { f.isInfinite($0.mean) || f.isNaN($0.mean) })
            case .scaleUnderflow: #expect(stats.contains { f.isSubnormal($0.mean) || f.isSubnormal($0.range) })
            case .saturation: #expect(out.contains { $0.elements.contains(127) || $0.elements.contains(0x7E) })
            case .subnormalOutput: #expect(out.allSatisfy { $0.scale == 0 })
            case .allEqualChannel: #expect(stats[0].range == 0 && stats[3].range == 0)
            case .extremeTies:
                let x = try tensor.blocks.flatMap { try g.input.dequantize($0, to: .fp32) }
                let tied = (0..<g.chunks).contains { j in
                    let chunk = (j * g.chunkSize..<(j + 1) * g.chunkSize).map { x[$0 * g.channels] }
                    return chunk.filter { $0 == chunk[stats[0].argmax[j]] }.count > 1
                }
                #expect(tied)
            case .ties: #expect(y.allSatisfy { !f.isNaN($0) } && tensor.gamma.allSatisfy { $0 == 0 })
            case .random: break
            }
        }
    }

    @Test func badParametersAreErrors() throws {
        let golden = try Self.small().golden
        #expect(throws: RangeBatchNormError.self) { try RangeBNUnitConfig(golden: golden, lanes: 3) }
        #expect(throws: RangeBatchNormError.self) { try RangeBNUnitConfig(golden: golden, lanes: 4, seed: 0) }
        let wide = try RangeBatchNormConfig(channels: 8, positions: 16, chunks: 4, input: golden.input, output: golden.output,
                                            statFormat: FloatFormat(name: "e11f52", exponentBits: 11, fractionBits: 52))
        #expect(throws: RangeBatchNormError.self) { try RangeBNUnitConfig(golden: wide, lanes: 4) }
    }

    /// >= 1e5 random blocks through the checked-in configuration on Verilator.
    @Test(.enabled(if: long)) func hundredThousandRandomBlocks() throws {
        let config = try RangeBNGeneratedFiles.configuration()
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: 100_000, seed: 2026)
        let report = try RangeBNCosimulation.run(stimulus, backend: .verilator)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.blocks >= 100_000)
    }
}
