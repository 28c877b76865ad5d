import Foundation
import BigInt
import Golden

// Shared fixtures for the soft-float tests: edge encodings, operand generators, and an exact
// big-integer reference that rounds by the textbook definition (independent of the core's
// bit tricks: no sticky jamming, no fixed-width arithmetic).

/// The value classes every sweep must include, as encodings of `f`.
func edgeEncodings(_ f: FloatFormat) -> [UInt64] {
    var positive: [UInt64] = [
        0, 1, 2, 3, f.fractionMask, f.fractionMask - 1,                // zero, subnormals
        f.encode(sign: false, exponentField: 1, fractionField: 0),       // min normal
        f.encode(sign: false, exponentField: 1, fractionField: 1),
        f.encode(sign: false, exponentField: UInt64(f.bias), fractionField: 0),       // 1
        f.encode(sign: false, exponentField: UInt64(f.bias), fractionField: 1),
        f.encode(sign: false, exponentField: UInt64(f.bias), fractionField: f.fractionMask),
        f.encode(sign: false, exponentField: UInt64(f.bias) - 1, fractionField: f.fractionMask),
        f.maxFinite(sign: false), f.maxFinite(sign: false) - 1,
    ]
    if let inf = f.infinity(sign: false) { positive.append(inf) }
    if let nan = f.canonicalNaN { positive.append(nan) }
    if f.specials == .ieee && f.fractionBits > 1 {
        positive.append(f.encode(sign: false, exponentField: f.maxExponentField, fractionField: 1)) // sNaN
    }
    let all = positive.flatMap { [$0 & f.encodingMask, ($0 | f.signMask) & f.encodingMask] }
    return Array(Set(all)).sorted()
}

/// Random operands of `f`: mostly uniform bit patterns, some edge values, and some second
/// operands close to the first (same or adjacent exponent) so that cancellation is exercised.
struct OperandSource {
    let format: FloatFormat
    let edges: [UInt64]
    var rng: SeededRandom

    init(_ format: FloatFormat, seed: UInt64) {
        self.format = format
        self.edges = edgeEncodings(format)
        self.rng = SeededRandom(seed: seed)
    }

    mutating func one() -> UInt64 {
        if rng.next() & 15 == 0 { return edges[Int(rng.next() % UInt64(edges.count))] }
        return rng.next() & format.encodingMask
    }

    /// A value near `a`: same magnitude region, random low bits, random sign, exponent +-1.
    mutating func near(_ a: UInt64) -> UInt64 {
        let r = rng.next()
        let lowBits = UInt64(r % UInt64(format.fractionBits + 1))
        let lowMask = (UInt64(1) << lowBits) - 1
        var b = (a & ~lowMask) | (rng.next() & lowMask)
        let field = format.exponentField(b)
        switch (r >> 8) % 3 {
        case 0 where field > 1: b -= UInt64(1) << UInt64(format.fractionBits)
        case 1 where field + 1 < format.maxExponentField: b += UInt64(1) << UInt64(format.fractionBits)
        default: break
        }
        if (r >> 16) & 1 == 1 { b ^= format.signMask }
        return b & format.encodingMask
    }

    mutating func pair() -> (UInt64, UInt64) {
        let a = one()
        return (a, rng.next() & 3 == 0 ? near(a) : one())
    }
}

/// An exact dyadic rational (-1)^sign * magnitude * 2^exponent.
struct ExactValue {
    var sign: Bool
    var magnitude: BigUInt
    var exponent: Int

    /// The exact value of a finite encoding.
    init(_ f: FloatFormat, _ a: UInt64) {
        sign = f.sign(a)
        let field = Int(f.exponentField(a))
        let fraction = BigUInt(f.fractionField(a))
        if field == 0 {
            magnitude = fraction
            exponent = f.minExponent - f.fractionBits
        } else {
            magnitude = fraction + (BigUInt(1) << f.fractionBits)
            exponent = field - f.bias - f.fractionBits
        }
    }

    init(sign: Bool, magnitude: BigUInt, exponent: Int) {
        self.sign = sign; self.magnitude = magnitude; self.exponent = exponent
    }

    var signed: BigInt { sign ? -BigInt(magnitude) : BigInt(magnitude) }

    static func * (x: ExactValue, y: ExactValue) -> ExactValue {
        ExactValue(sign: x.sign != y.sign, magnitude: x.magnitude * y.magnitude,
                   exponent: x.exponent + y.exponent)
    }

    static func + (x: ExactValue, y: ExactValue) -> ExactValue {
        let e = Swift.min(x.exponent, y.exponent)
        let sum = (x.signed << (x.exponent - e)) + (y.signed << (y.exponent - e))
        return ExactValue(sign: sum.sign == .minus, magnitude: sum.magnitude, exponent: e)
    }

    /// Rounds to `f` by definition: pick the neighbouring multiples of the result's ulp, choose by
    /// `rm`, then encode; overflow gives infinity or maxFinite as IEEE 754 says for the direction,
    /// and always maxFinite in formats without infinity. A zero result gets `zeroSign`.
    func rounded(to f: FloatFormat, _ rm: RoundingMode, zeroSign: Bool) -> UInt64 {
        if magnitude == 0 { return zeroSign ? f.signMask : 0 }
        let e = exponent + magnitude.bitWidth - 1
        var ulpExponent = Swift.max(e, f.minExponent) - f.fractionBits
        var m: BigUInt
        if exponent >= ulpExponent {
            m = magnitude << (exponent - ulpExponent)
        } else {
            let shift = ulpExponent - exponent
            m = magnitude >> shift
            let remainder = magnitude - (m << shift)
            let half = BigUInt(1) << (shift - 1)
            let inexact = remainder != 0
            let roundUp: Bool
            switch rm {
            case .nearestEven: roundUp = remainder > half || (remainder == half && m % 2 == 1)
            case .nearestAway: roundUp = remainder >= half
            case .towardZero: roundUp = false
            case .up: roundUp = inexact && !sign
            case .down: roundUp = inexact && sign
            }
            if roundUp { m += 1 }
        }
        if m == 0 { return sign ? f.signMask : 0 }
        if m.bitWidth > f.precision { m >>= 1; ulpExponent += 1 }
        let field: Int
        let fraction: BigUInt
        if m.bitWidth <= f.fractionBits {
            field = 0; fraction = m
        } else {
            field = ulpExponent + f.fractionBits + f.bias
            fraction = m - (BigUInt(1) << f.fractionBits)
        }
        let overflow = field > Int(f.maxFiniteExponentField)
            || (f.specials == .nanOnlyAllOnes && field == Int(f.maxExponentField)
                && fraction == BigUInt(f.fractionMask))
        if overflow {
            guard let inf = f.infinity(sign: sign) else { return f.maxFinite(sign: sign) }
            switch rm {
            case .nearestEven, .nearestAway: return inf
            case .towardZero: return f.maxFinite(sign: sign)
            case .up: return sign ? f.maxFinite(sign: true) : inf
            case .down: return sign ? inf : f.maxFinite(sign: false)
            }
        }
        return f.encode(sign: sign, exponentField: UInt64(field), fractionField: UInt64(fraction))
    }
}

/// Formats every exhaustive or randomized sweep covers.
let allNamedFormats: [FloatFormat] = [.fp32, .fp16, .bf16, .fp64, .e4m3, .e5m2, .e3m2, .e2m3, .e2m1]

/// Test sizes: a substantial sample by default, the full sweeps with NORMFORGE_LONG=1.
let longTests: Bool = {
    guard let value = getenv("NORMFORGE_LONG") else { return false }
    return String(cString: value) == "1"
}()
