extension BFPFormat {
    /// BFP -> FP: each element times 2^(scale-127), exact where `target` can hold it, otherwise
    /// rounded to nearest-even with IEEE overflow to infinity. A NaN scale or a NaN element gives
    /// the target's canonical NaN; an infinite element (E5M2) gives infinity.
    public func dequantize(_ block: BFPBlock, to target: FloatFormat) throws(BFPFormatError) -> [UInt64] {
        guard block.elements.count == blockSize else {
            throw BFPFormatError("a block holds \(blockSize) elements, got \(block.elements.count)")
        }
        guard let nan = target.canonicalNaN, target.hasInfinity else {
            throw BFPFormatError("BFP -> FP needs a target with NaN and infinity, \(target.name) has not")
        }
        guard let shared = block.sharedExponent else {
            return [UInt64](repeating: nan, count: blockSize)
        }
        let mask = BFPExactRounding.lowMask(element.width)
        return block.elements.map { raw in
            let bits = raw & mask
            let value: BFPDecodedValue
            switch element {
            case .float(let f):
                value = BFPDecodedValue(bits, f)
            case .int(let m):
                let negative = bits >> UInt64(m) & 1 == 1
                let magnitude = negative ? (~bits &+ 1) & mask : bits
                value = magnitude == 0 ? .zero(sign: false)
                    : .finite(sign: negative, significand: magnitude, exponent: 1 - m)
            }
            switch value {
            case .nan: return nan
            case .infinity(let sign): return target.infinity(sign: sign)!
            case .zero(let sign): return target.encode(sign: sign, exponentField: 0, fractionField: 0)
            case let .finite(sign, m, e):
                return target.roundPack(sign: sign, sig: m, exp: e + shared, .nearestEven)
            }
        }
    }
}
