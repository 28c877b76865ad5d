import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// The range-BN training unit (forward, running statistics, backward) against `RangeBatchNorm`
/// and the golden quantizers, bit for bit: every forward and gradient edge class and random
/// steps, with input bubbles and output back-pressure, on every backend; `NORMFORGE_LONG=1`
/// streams >= 1e5 random gradient blocks through the checked-in configuration.
@Suite struct RangeBatchNormTrainingTests {
    static func small(gradient: BFPElementKind? = nil) throws -> RangeBNUnitConfig {
        let input = try BFPFormat(blockSize: 8, element: .int(magnitudeBits: 7))
        let output = try BFPFormat(blockSize: 8, element: .float(.e4m3))
        let grad = try gradient.map { try BFPFormat(blockSize: 8, element: $0) }
        let golden = try RangeBatchNormConfig(channels: 8, positions: 16, chunks: 4, input: input, output: output,
                                              gradientInput: grad, gradientOutput: grad)
        return try RangeBNUnitConfig(golden: golden, lanes: 4, seed: 7)
    }

    @Test(arguments: [SimulationBackend.irSim, .verilator, .icarus])
    func edgeClassesAndRandomStepsMatchGolden(_ backend: SimulationBackend) throws {
        let stimulus = try RangeBNTrainingStimulus(config: try Self.small(), randomBlocks: backend == .verilator ? 256 : 16, seed: 12)
        let report = try RangeBNTrainingCosimulation.run(stimulus, backend: backend, stalls: RangeBatchNormUnitTests.stalls)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.beats == stimulus.blockCount * 4)
        #expect(report.parameterGradients == stimulus.steps.count * 8)
    }

    /// E5M2 gradients in and out (NaN and infinity codes), ties everywhere on Verilator.
    @Test func floatGradientsMatchGolden() throws {
        let stimulus = try RangeBNTrainingStimulus(config: try Self.small(gradient: .float(.e5m2)), randomBlocks: 64, seed: 3)
        let report = try RangeBNTrainingCosimulation.run(stimulus, backend: .verilator, stalls: RangeBatchNormUnitTests.stalls)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
    }

    @Test func backwardStreamsAtTheDocumentedRate() throws {
        let config = try Self.small()
        let stimulus = try RangeBNTrainingStimulus(config: config, randomBlocks: 0, seed: 1)
        let report = try RangeBNTrainingCosimulation.run(stimulus, backend: .irSim)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.backwardLatencyCycles == config.backwardCyclesPerTensor)
    }

    /// The gradient edge classes reach what they are named for (golden model only).
    @Test func gradientEdgeClassesHitTheirCases() throws {
        let config = try Self.small(gradient: .float(.e5m2))
        let g = config.golden, f = FloatFormat.fp32
        let stimulus = try RangeBNTrainingStimulus(config: config, randomBlocks: 0, seed: 12)
        let model = RangeBatchNorm(config: g)
        for step in stimulus.steps where step.forward.kind == .random {
            let stats = try model.statistics(step.forward.blocks)
            let grads = try model.gradients(stored: step.forward.blocks, statistics: stats, gamma: step.forward.gamma, dy: step.dy)
            switch step.gradientKind {
            case .zero: #expect(grads.dx.allSatisfy(f.isZero) && grads.dbeta.allSatisfy(f.isZero))
            case .special: #expect(grads.dx.contains(where: f.isNaN))
            case .scaleOverflow: #expect(grads.dbeta.contains { f.isInfinite($0) || f.isNaN($0) })
            case .scaleUnderflow:
                let dy = try step.dy.flatMap { try g.gradientInput.dequantize($0, to: .fp32) }
                #expect(dy.contains(where: f.isSubnormal))
            case .random: break
            }
        }
    }

    /// >= 1e5 random gradient blocks through the checked-in configuration on Verilator.
    @Test(.enabled(if: RangeBatchNormUnitTests.long)) func hundredThousandRandomGradientBlocks() throws {
        let config = try RangeBNGeneratedFiles.configuration()
        let stimulus = try RangeBNTrainingStimulus(config: config, randomBlocks: 100_000, seed: 2026)
        let report = try RangeBNTrainingCosimulation.run(stimulus, backend: .verilator)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.blocks >= 100_000)
    }
}

/// The conventional batch-norm training unit, the area baseline: bit-exact against
/// `ConventionalBatchNorm` over the same forward and gradient edge classes.
@Suite struct ConventionalBatchNormUnitTests {
    @Test(arguments: [SimulationBackend.irSim, .verilator])
    func trainingStepsMatchGolden(_ backend: SimulationBackend) throws {
        let stimulus = try RangeBNTrainingStimulus(config: try RangeBatchNormTrainingTests.small(), randomBlocks: 32, seed: 8)
        let report = try RangeBNTrainingCosimulation.run(stimulus, backend: backend, stalls: RangeBatchNormUnitTests.stalls,
                                                         conventional: true)
        #expect(report.mismatches == 0, "\(report.mismatchDetails.prefix(5))")
    }

    @Test func cyclesPerTensorAreTheDocumentedOnes() throws {
        let config = try RangeBatchNormTrainingTests.small()
        let report = try RangeBNTrainingCosimulation.run(try RangeBNTrainingStimulus(config: config, randomBlocks: 0, seed: 1),
                                                         backend: .irSim, conventional: true)
        #expect(report.mismatches == 0, "\(report.mismatchDetails.prefix(5))")
        #expect(report.forwardLatencyCycles == ConventionalBNCircuit.cyclesPerTensor(config))
        #expect(report.backwardLatencyCycles == ConventionalBNCircuit.backwardCyclesPerTensor(config))
    }
}
