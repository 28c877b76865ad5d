/// FP -> BFP conversion: the golden model of the BFP converter circuits.
///
/// Per block (see docs/bfp.md and the BFP spec):
/// 1. one stochastic draw per element, in element order, whatever the block holds;
/// 2. NaN or infinity anywhere -> NaN scale (255), all elements encoded as 0;
/// 3. L = max over nonzero elements of floor(log2|x|) (rule floor) or ceil(log2|x|) (rule ceil),
///    from the exponent and significand fields; an all-zero block gets scale field 0 and zero
///    elements that keep their signs (float elements; integers have no -0);
/// 4. shared = L - emax_elem; above 127 the scale is NaN as in 2.; below -127 it is clamped to -127;
/// 5. each element x / 2^shared is rounded to the element grid and saturated to +-max_elem.
///
/// The LFSR state carries from block to block, so a quantizer is a stream converter.
public struct BFPQuantizer: Sendable {
    public let format: BFPFormat
    public let source: FloatFormat
    /// The stochastic-rounding generator; untouched by the deterministic rounding modes.
    public private(set) var lfsr: LFSR32

    /// A converter from `source` encodings; `seed` starts the LFSR (nonzero).
    public init(format: BFPFormat, source: FloatFormat, seed: UInt32 = 1) throws(BFPFormatError) {
        guard source.width <= 32 else {
            throw BFPFormatError("BFP sources are at most 32 bits wide, \(source.name) is \(source.width)")
        }
        do { lfsr = try LFSR32(seed: seed) } catch { throw BFPFormatError(error.description) }
        self.format = format
        self.source = source
    }

    /// Quantizes one block of `format.blockSize` source encodings.
    public mutating func quantize(block bits: [UInt64]) throws(BFPFormatError) -> BFPBlock {
        let k = format.blockSize
        guard bits.count == k else {
            throw BFPFormatError("a block holds \(k) values, got \(bits.count)")
        }
        var randoms = [UInt32](repeating: 0, count: k)
        if format.rounding == .stochastic {
            for i in 0..<k { randoms[i] = lfsr.next(bits: format.stochasticBits) }
        }
        let values = bits.map { BFPDecodedValue($0, source, flushSubnormals: format.flushSubnormals) }
        let nanBlock = BFPBlock(scale: BFPBlock.nanScale, elements: [UInt64](repeating: 0, count: k))

        var log2Max: Int? = nil
        for v in values {
            switch v {
            case .nan, .infinity: return nanBlock
            case .zero: continue
            case let .finite(_, m, e):
                let l = format.rule == .floor
                    ? BFPExactRounding.floorLog2(significand: m, exponent: e)
                    : BFPExactRounding.ceilLog2(significand: m, exponent: e)
                log2Max = max(log2Max ?? l, l)
            }
        }
        let shared: Int
        if let l = log2Max {
            shared = max(l - format.element.maxExponent, -BFPBlock.scaleBias)
            if shared > BFPBlock.scaleBias { return nanBlock }
        } else {
            shared = -BFPBlock.scaleBias
        }

        var elements = [UInt64](repeating: 0, count: k)
        for i in 0..<k {
            elements[i] = quantizeElement(values[i], shared: shared, random: randoms[i])
        }
        return BFPBlock(scale: UInt8(shared + BFPBlock.scaleBias), elements: elements)
    }

    /// Quantizes a whole stream (a multiple of the block size) block by block.
    public mutating func quantize(stream bits: [UInt64]) throws(BFPFormatError) -> [BFPBlock] {
        let k = format.blockSize
        guard bits.count % k == 0 else {
            throw BFPFormatError("a stream of \(bits.count) values is not a whole number of \(k)-value blocks")
        }
        var blocks: [BFPBlock] = []
        blocks.reserveCapacity(bits.count / k)
        for start in stride(from: 0, to: bits.count, by: k) {
            blocks.append(try quantize(block: Array(bits[start..<start + k])))
        }
        return blocks
    }

    private func quantizeElement(_ value: BFPDecodedValue, shared: Int, random: UInt32) -> UInt64 {
        switch (value, format.element) {
        case (.zero(let sign), .float(let f)):
            return f.encode(sign: sign, exponentField: 0, fractionField: 0)
        case (.zero, .int):
            return 0
        case let (.finite(sign, m, e), .float(f)):
            return BFPExactRounding.round(sign: sign, significand: m, exponent: e - shared, to: f,
                                          rounding: format.rounding, random: random,
                                          randomBits: format.stochasticBits)
        case let (.finite(sign, m, e), .int(bits)):
            // Units of 2^-(bits-1): shift right by -(e - shared + bits - 1).
            let n = min(BFPExactRounding.shiftRight(m, by: shared - e - (bits - 1),
                                                    rounding: format.rounding, random: random,
                                                    randomBits: format.stochasticBits),
                        (UInt64(1) << UInt64(bits)) - 1)
            let mask = BFPExactRounding.lowMask(bits + 1)
            return sign ? (~n &+ 1) & mask : n
        case (.nan, _), (.infinity, _):
            preconditionFailure("specials are handled at block level")
        }
    }
}
