import Circuits
import Golden

/// One tensor for the range batch-norm unit: n*C/g input blocks (position-major) with the
/// channels' gamma and beta (FP32 encodings), and the edge class it was drawn for.
public struct RangeBNTensor: Sendable {
    /// The edge class the tensor was drawn for.
    public let kind: RangeBNStimulus.Kind
    /// n*C/g input blocks, position-major.
    public let blocks: [BFPBlock]
    /// Per channel, FP32 encodings.
    public let gamma: [UInt64]
    /// Per channel, FP32 encodings.
    public let beta: [UInt64]
}

/// Stimulus for co-simulating the range batch-norm unit: one tensor of every edge class, then
/// random tensors until at least `randomBlocks` random blocks, all drawn from one seed.
public struct RangeBNStimulus: Sendable {
    /// What a tensor exercises.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Every element zero (range 0, d = eps).
        case allZero
        /// A NaN scale and, for float elements, NaN/infinity element codes: NaN statistics.
        case special
        /// Input scales near the top of E8M0: values and sums overflow to infinity.
        case scaleOverflow
        /// Input scales 2^-127...2^-124: FP32 subnormal inputs and statistics, huge reciprocals.
        case scaleUnderflow
        /// gamma = 0, so y = beta, set to midpoints between neighbouring output elements.
        case ties
        /// gamma = 0 and beta just below a power of two: output elements round above the maximum.
        case saturation
        /// gamma = 0 and subnormal beta: the output scale clamps at 2^-127.
        case subnormalOutput
        /// Some channels hold one value at every position (range 0).
        case allEqualChannel
        /// Every element one of three codes at one scale: each chunk's maximum and minimum occur
        /// several times (the argmax/argmin tie rule).
        case extremeTies
        /// gamma around 1e38: outputs overflow to infinity, the output block's scale is NaN.
        case outputOverflow
        /// Random scales around 2^0, random element codes, gamma ~ N(1, 0.5), beta ~ N(0, 1).
        case random
    }

    /// The unit the tensors are shaped for.
    public let config: RangeBNUnitConfig
    /// Edge-class tensors first, then the random ones.
    public let tensors: [RangeBNTensor]

    /// Edge-class tensors (one of each), then random tensors holding >= `randomBlocks` blocks.
    public init(config: RangeBNUnitConfig, randomBlocks: Int, seed: UInt64) throws(BFPFormatError) {
        self.config = config
        var rng = SeededRandom(seed: seed)
        let maker = TensorMaker(config: config)
        var tensors: [RangeBNTensor] = []
        for kind in Kind.allCases where kind != .random { tensors.append(try maker.tensor(kind, &rng)) }
        let randomTensors = (randomBlocks + config.blocksPerTensor - 1) / config.blocksPerTensor
        for _ in 0..<randomTensors { tensors.append(try maker.tensor(.random, &rng)) }
        self.tensors = tensors
    }

    /// Input blocks over all tensors.
    public var blockCount: Int { tensors.count * config.blocksPerTensor }
}

/// Draws the tensors of each class for one configuration.
struct TensorMaker {
    let config: RangeBNUnitConfig
    let f = FloatFormat.fp32
    var g: RangeBatchNormConfig { config.golden }
    var k: Int { g.input.blockSize }

    func tensor(_ kind: RangeBNStimulus.Kind, _ rng: inout SeededRandom) throws(BFPFormatError) -> RangeBNTensor {
        let count = config.blocksPerTensor
        var gamma = (0..<g.channels).map { _ in f.fromDouble(1 + 0.5 * rng.nextNormal()) }
        var beta = (0..<g.channels).map { _ in f.fromDouble(rng.nextNormal()) }
        var blocks = (0..<count).map { _ in randomBlock(scale: 127 + Int.random(in: -3...3, using: &rng), &rng) }
        switch kind {
        case .allZero:
            blocks = (0..<count).map { _ in BFPBlock(scale: UInt8.random(in: 0...254, using: &rng), elements: Array(repeating: 0, count: k)) }
        case .special:
            let b = Int.random(in: 0..<count, using: &rng)
            blocks[b].scale = BFPBlock.nanScale
            if case .float(let e) = g.input.element {
                // All-ones exponent and fraction: NaN in E4M3/E5M2; E5M2's all-ones exponent with
                // a zero fraction is infinity.
                let top = (UInt64(1) << UInt64(e.width - 1)) - 1
                let other = Int.random(in: 0..<count, using: &rng)
                blocks[other].elements[Int.random(in: 0..<k, using: &rng)] = top
                blocks[other].elements[Int.random(in: 0..<k, using: &rng)] = top & ~e.fractionMask
            }
        case .scaleOverflow:
            blocks = (0..<count).map { _ in randomBlock(scale: Int.random(in: 250...254, using: &rng), &rng) }
        case .scaleUnderflow:
            blocks = (0..<count).map { _ in randomBlock(scale: Int.random(in: 0...3, using: &rng), &rng) }
        case .ties, .saturation, .subnormalOutput:
            gamma = Array(repeating: 0, count: g.channels)
            beta = []
            for _ in 0..<g.groups { beta += try outputBlockValues(kind, &rng) }
        case .allEqualChannel:
            // One scale for the whole tensor keeps a channel's value the same at every position.
            let scale = 127 + Int.random(in: -3...3, using: &rng)
            blocks = (0..<count).map { _ in randomBlock(scale: scale, &rng) }
            for ch in 0..<g.channels where ch % 3 == 0 {
                let code = UInt64.random(in: 0..<(UInt64(1) << UInt64(g.input.element.width)), using: &rng)
                for p in 0..<g.positions { blocks[p * g.groups + ch / k].elements[ch % k] = code }
            }
        case .extremeTies:
            let scale = 127 + Int.random(in: -3...3, using: &rng)
            let codes = (0..<3).map { _ in UInt64.random(in: 0..<(UInt64(1) << UInt64(g.input.element.width)), using: &rng) }
            blocks = (0..<count).map { _ in
                BFPBlock(scale: UInt8(scale), elements: (0..<k).map { _ in codes[Int.random(in: 0..<3, using: &rng)] })
            }
        case .outputOverflow:
            gamma = (0..<g.channels).map { _ in f.fromDouble((Bool.random(using: &rng) ? 1 : -1) * 1e38 * (1 + rng.nextUnit())) }
        case .random:
            break
        }
        return RangeBNTensor(kind: kind, blocks: blocks, gamma: gamma, beta: beta)
    }

    /// A block at `scale` with random element codes (any code is an encoding; trailing zeros of
    /// random length repeat values, so ties inside max/min and exact sums are common).
    func randomBlock(scale: Int, _ rng: inout SeededRandom) -> BFPBlock {
        let width = UInt64(g.input.element.width)
        return BFPBlock(scale: UInt8(min(max(scale, 0), 254)), elements: (0..<k).map { _ in
            let code = UInt64.random(in: 0..<(1 << width), using: &rng)
            return code & ~((UInt64(1) << UInt64.random(in: 0...(width / 2), using: &rng)) - 1)
        })
    }

    /// g FP32 values that stress the output quantizer as y = beta.
    func outputBlockValues(_ kind: RangeBNStimulus.Kind, _ rng: inout SeededRandom) throws(BFPFormatError) -> [UInt64] {
        let out = g.output, kOut = out.blockSize
        switch kind {
        case .ties:
            // Lane 0 holds the largest element value (pinning the shared exponent), the others
            // sit halfway between neighbouring element codes.
            let maxCode: UInt64
            switch out.element {
            case .int(let m): maxCode = (UInt64(1) << UInt64(m)) - 1
            case .float(let e): maxCode = e.maxFinite(sign: false)
            }
            let scale = UInt8(Int.random(in: 110...140, using: &rng))
            let codes = [maxCode] + (1..<kOut).map { _ in UInt64.random(in: 0..<maxCode, using: &rng) }
            let lo = try out.dequantize(BFPBlock(scale: scale, elements: codes), to: .fp64)
            let hi = try out.dequantize(BFPBlock(scale: scale, elements: codes.map { $0 + 1 }), to: .fp64)
            return (0..<kOut).map { i in
                let d = FloatFormat.fp64
                let v = i == 0 ? d.toDouble(lo[0]) : (d.toDouble(lo[i]) + d.toDouble(hi[i])) / 2
                return f.fromDouble(Bool.random(using: &rng) ? -v : v)
            }
        case .saturation:
            let e = Int.random(in: 100...150, using: &rng)
            return (0..<kOut).map { _ in
                f.encode(sign: Bool.random(using: &rng), exponentField: UInt64(e - Int.random(in: 0...1, using: &rng)),
                         fractionField: f.fractionMask)
            }
        default:
            return (0..<kOut).map { _ in
                f.encode(sign: Bool.random(using: &rng), exponentField: 0, fractionField: UInt64.random(in: 0...f.fractionMask, using: &rng))
            }
        }
    }
}
