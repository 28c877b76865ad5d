import Circuits
import Golden

/// Stimulus for co-simulating the BFP converters against the golden model: blocks of every edge
/// class (all zero, NaN/infinity, scale overflow and underflow, ties at the rounding boundary,
/// saturation, subnormals), then random blocks shaped to reach them too; the golden results for
/// both directions; and idle gaps between blocks.
public struct BFPConverterStimulus: Sendable {
    public let config: BFPConverterConfig
    /// FP -> BFP input: blocks of k encodings of `config.floatFormat`.
    public let blocks: [[UInt64]]
    /// The golden quantization of `blocks`, in stream order (one LFSR stream).
    public let quantized: [BFPBlock]
    /// BFP -> FP input: the quantized blocks, then raw blocks of arbitrary element encodings and
    /// scales (NaN scale, element NaN/infinity codes, the integer minimum).
    public let bfpBlocks: [BFPBlock]
    /// The golden dequantization of `bfpBlocks`.
    public let dequantized: [[UInt64]]
    /// Idle cycles before each beat of each block (index [block][beat]; the same schedule serves
    /// both directions). The first block streams without gaps, so its timing is the latency.
    public let gaps: [[Int]]

    /// Edge-class blocks (a few of each), then `randomBlocks` random ones, all from `seed`.
    public init(config: BFPConverterConfig, randomBlocks: Int, seed: UInt64) throws(BFPFormatError) {
        self.config = config
        var rng = SeededRandom(seed: seed)
        let maker = BlockMaker(config: config)
        var blocks: [[UInt64]] = []
        for _ in 0..<4 {
            for kind in BlockMaker.Kind.allCases { blocks.append(try maker.block(kind, &rng)) }
        }
        for _ in 0..<randomBlocks { blocks.append(try maker.block(.random, &rng)) }
        var quantizer = try BFPQuantizer(format: config.bfp, source: config.floatFormat, seed: config.seed)
        let quantized = try blocks.map { b throws(BFPFormatError) in try quantizer.quantize(block: b) }
        let raw = (0..<max(16, blocks.count / 8)).map { _ in maker.rawBFPBlock(&rng) }
        let bfpBlocks = quantized + raw
        self.blocks = blocks
        self.quantized = quantized
        self.bfpBlocks = bfpBlocks
        dequantized = try bfpBlocks.map { b throws(BFPFormatError) in try config.bfp.dequantize(b, to: config.floatFormat) }
        let beats = config.beatsPerBlock
        gaps = (0..<bfpBlocks.count).map { b in
            (0..<beats).map { _ in
                b == 0 || Int.random(in: 0..<8, using: &rng) < 6 ? 0 : Int.random(in: 1...3, using: &rng)
            }
        }
    }
}

/// Draws the blocks of each edge class for one configuration.
struct BlockMaker {
    enum Kind: CaseIterable {
        case allZero, special, huge, tiny, ties, saturation, subnormal, random
    }

    let config: BFPConverterConfig
    var src: FloatFormat { config.floatFormat }
    var k: Int { config.bfp.blockSize }

    func encode(_ sign: Bool, _ field: Int, _ fraction: UInt64) -> UInt64 {
        src.encode(sign: sign, exponentField: UInt64(min(max(field, 0), Int(src.maxFiniteExponentField))),
                   fractionField: fraction)
    }

    func randomFraction(_ rng: inout SeededRandom) -> UInt64 {
        // Trailing zeros of random length make exact ties at the element grid common.
        let f = UInt64.random(in: 0...src.fractionMask, using: &rng)
        return f & ~((UInt64(1) << UInt64(Int.random(in: 0...src.fractionBits, using: &rng))) - 1)
    }

    func block(_ kind: Kind, _ rng: inout SeededRandom) throws(BFPFormatError) -> [UInt64] {
        let top = Int(src.maxFiniteExponentField)
        switch kind {
        case .allZero:
            return (0..<k).map { _ in Bool.random(using: &rng) ? src.signMask : 0 }
        case .special:
            var b = try block(.random, &rng)
            let specials = [src.canonicalNaN!, src.infinity(sign: false)!, src.infinity(sign: true)!,
                            src.canonicalNaN! | 1 | src.signMask]
            b[Int.random(in: 0..<k, using: &rng)] = specials.randomElement(using: &rng)!
            return b
        case .huge:  // scale overflow (ceil rule, integer elements) and the top of the range
            return (0..<k).map { _ in
                encode(Bool.random(using: &rng), top - Int.random(in: 0...2, using: &rng), randomFraction(&rng))
            }
        case .tiny:  // scale underflow: the shared exponent clamps at -127
            return (0..<k).map { _ in
                Bool.random(using: &rng) ? encode(Bool.random(using: &rng), 0, UInt64.random(in: 0...src.fractionMask, using: &rng))
                    : encode(Bool.random(using: &rng), Int.random(in: 1...4, using: &rng), randomFraction(&rng))
            }
        case .ties:
            return try tieBlock(&rng)
        case .saturation:  // all-ones fractions: |x| / 2^shared rounds above the element maximum
            let e = Int.random(in: 1...top, using: &rng)
            return (0..<k).map { _ in encode(Bool.random(using: &rng), e - Int.random(in: 0...1, using: &rng), src.fractionMask) }
        case .subnormal:
            return (0..<k).map { _ in encode(Bool.random(using: &rng), 0, UInt64.random(in: 0...src.fractionMask, using: &rng)) }
        case .random:
            let center = Int.random(in: -4...(top + 4), using: &rng)
            let spread = [2, 8, 40].randomElement(using: &rng)!
            return (0..<k).map { _ in
                switch Int.random(in: 0..<32, using: &rng) {
                case 0: return Bool.random(using: &rng) ? src.signMask : 0
                case 1: return encode(Bool.random(using: &rng), 0, UInt64.random(in: 1...src.fractionMask, using: &rng))
                default: return encode(Bool.random(using: &rng), center - Int.random(in: 0...spread, using: &rng), randomFraction(&rng))
                }
            }
        }
    }

    /// Midpoints between neighbouring element values at a scale pinned by the largest element:
    /// exact ties for the nearest roundings, representable in every source format.
    func tieBlock(_ rng: inout SeededRandom) throws(BFPFormatError) -> [UInt64] {
        let element = config.bfp.element
        // FP16 cannot hold large scales: keep its ties finite.
        let scale = UInt8(src == .fp16 ? Int.random(in: 112...127, using: &rng) : Int.random(in: 100...150, using: &rng))
        let maxCode: UInt64
        switch element {
        case .int(let m): maxCode = (UInt64(1) << UInt64(m)) - 1
        case .float(let f): maxCode = f.maxFinite(sign: false)
        }
        var codes: [UInt64] = [maxCode]
        var neighbours: [UInt64] = [maxCode]
        for _ in 1..<k {
            let c = UInt64.random(in: 0..<maxCode, using: &rng)
            codes.append(c)
            neighbours.append(c + 1)
        }
        let lo = try config.bfp.dequantize(BFPBlock(scale: scale, elements: codes), to: .fp64)
        let hi = try config.bfp.dequantize(BFPBlock(scale: scale, elements: neighbours), to: .fp64)
        let sign = (0..<k).map { _ in Bool.random(using: &rng) }
        return (0..<k).map { i in
            let mid = (FloatFormat.fp64.toDouble(lo[i]) + FloatFormat.fp64.toDouble(hi[i])) / 2
            let v = i == 0 ? FloatFormat.fp64.toDouble(lo[0]) : mid
            return src.fromDouble(sign[i] ? -v : v)
        }
    }

    /// A block of arbitrary element encodings with a scale from the whole E8M0 range.
    func rawBFPBlock(_ rng: inout SeededRandom) -> BFPBlock {
        let width = config.bfp.element.width
        let scale: UInt8 = Int.random(in: 0..<8, using: &rng) == 0
            ? [0, 1, 254, 255].randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        return BFPBlock(scale: scale, elements: (0..<k).map { _ in UInt64.random(in: 0..<(UInt64(1) << UInt64(width)), using: &rng) })
    }
}
