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

    @Test(arguments: [SimulationBackend.irSim, .verilator])
    func edgeClassesAndRandomTensorsMatchGolden(_ backend: SimulationBackend) throws {
        let config = try Self.small()
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: 64, seed: 11)
        let report = try RangeBNCosimulation.run(stimulus, backend: backend, stalls: Self.stalls)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.beats == stimulus.blockCount * 2)
    }

    @Test func streamsAtTheDocumentedRate() throws {
        let config = try Self.small()
        let stimulus = try RangeBNStimulus(config: config, randomBlocks: 0, seed: 2)
        let report = try RangeBNCosimulation.run(stimulus, backend: .irSim)
        #expect(report.mismatches == 0, "\(report.mismatchDetails)")
        #expect(report.latencyCycles == config.cyclesPerTensor)
    }
}
