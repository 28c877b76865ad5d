import Circuits
import Golden

/// One training step for the range-BN training unit: a forward tensor and the gradient dL/dy that
/// comes back for it (blocks of the gradient-input format in the forward's layout).
public struct RangeBNTrainingStep: Sendable {
    public let forward: RangeBNTensor
    public let dy: [BFPBlock]
    public let gradientKind: RangeBNTrainingStimulus.GradientKind
}

/// Stimulus for co-simulating the training unit: every forward edge class with a random gradient,
/// then every gradient edge class with a random forward tensor, then random steps until at least
/// `randomBlocks` random gradient blocks, all drawn from one seed.
public struct RangeBNTrainingStimulus: Sendable {
    /// What a gradient tensor exercises.
    public enum GradientKind: String, Sendable, CaseIterable, Codable {
        /// Every element zero: dL/dx, dgamma and dbeta are zero (where the forward is finite).
        case zero
        /// A NaN scale and, for float elements, NaN/infinity codes: NaN gradients in their channels.
        case special
        /// Scales near the top of E8M0: products and sums overflow to infinity.
        case scaleOverflow
        /// Scales 2^-127...2^-124: subnormal gradients.
        case scaleUnderflow
        /// Random scales around 2^-6, random element codes.
        case random
    }

    public let config: RangeBNUnitConfig
    public let steps: [RangeBNTrainingStep]

    public init(config: RangeBNUnitConfig, randomBlocks: Int, seed: UInt64) throws(BFPFormatError) {
        self.config = config
        let forward = try RangeBNStimulus(config: config, randomBlocks: 0, seed: seed)
        var rng = SeededRandom(seed: seed, stream: 21)
        let maker = TensorMaker(config: config)
        var steps = forward.tensors.map { RangeBNTrainingStep(forward: $0, dy: Self.gradient(.random, config, &rng), gradientKind: .random) }
        for kind in GradientKind.allCases where kind != .random {
            steps.append(RangeBNTrainingStep(forward: try maker.tensor(.random, &rng), dy: Self.gradient(kind, config, &rng), gradientKind: kind))
        }
        let randomSteps = (randomBlocks + config.blocksPerTensor - 1) / config.blocksPerTensor
        for _ in 0..<randomSteps {
            steps.append(RangeBNTrainingStep(forward: try maker.tensor(.random, &rng), dy: Self.gradient(.random, config, &rng), gradientKind: .random))
        }
        self.steps = steps
    }

    /// Gradient blocks over all steps.
    public var blockCount: Int { steps.count * config.blocksPerTensor }

    static func gradient(_ kind: GradientKind, _ config: RangeBNUnitConfig, _ rng: inout SeededRandom) -> [BFPBlock] {
        let format = config.golden.gradientInput, k = format.blockSize, width = UInt64(format.element.width)
        let count = config.blocksPerTensor
        func block(scale: Int) -> BFPBlock {
            BFPBlock(scale: UInt8(min(max(scale, 0), 254)), elements: (0..<k).map { _ in
                UInt64.random(in: 0..<(1 << width), using: &rng) & ~((UInt64(1) << UInt64.random(in: 0...(width / 2), using: &rng)) - 1)
            })
        }
        switch kind {
        case .zero:
            return (0..<count).map { _ in BFPBlock(scale: UInt8.random(in: 0...254, using: &rng), elements: Array(repeating: 0, count: k)) }
        case .scaleOverflow:
            return (0..<count).map { _ in block(scale: Int.random(in: 250...254, using: &rng)) }
        case .scaleUnderflow:
            return (0..<count).map { _ in block(scale: Int.random(in: 0...3, using: &rng)) }
        case .random, .special:
            var blocks = (0..<count).map { _ in block(scale: 121 + Int.random(in: -3...3, using: &rng)) }
            if kind == .special {
                blocks[Int.random(in: 0..<count, using: &rng)].scale = BFPBlock.nanScale
                if case .float(let e) = format.element {
                    let top = (UInt64(1) << UInt64(e.width - 1)) - 1
                    let other = Int.random(in: 0..<count, using: &rng)
                    blocks[other].elements[Int.random(in: 0..<k, using: &rng)] = top
                    blocks[other].elements[Int.random(in: 0..<k, using: &rng)] = top & ~e.fractionMask
                }
            }
            return blocks
        }
    }
}
