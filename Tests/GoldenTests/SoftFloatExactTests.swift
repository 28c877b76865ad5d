import BigInt
import Golden
import Testing

// Every rounding mode, every named format: add, sub, mul and fma against exact big-integer
// arithmetic rounded by definition (ExactValue.rounded).

@Suite struct SoftFloatExactTests {
    static let samples = longTests ? 400_000 : 40_000

    @Test(arguments: allNamedFormats)
    func addSubMulMatchExactArithmetic(_ f: FloatFormat) {
        var source = OperandSource(f, seed: 0xE4AC7 &+ UInt64(f.width))
        var failures = 0
        for i in 0..<Self.samples {
            let (a, b) = source.pair()
            if !f.isFinite(a) || !f.isFinite(b) { continue }
            let rm = RoundingMode.allCases[i % 5]
            let x = ExactValue(f, a), y = ExactValue(f, b)
            let sum = x + y
            let sumZeroSign = f.sign(a) == f.sign(b) ? f.sign(a) : rm == .down
            let negB = ExactValue(sign: !y.sign, magnitude: y.magnitude, exponent: y.exponent)
            let diffZeroSign = f.sign(a) != f.sign(b) ? f.sign(a) : rm == .down
            let expected: [(String, UInt64, UInt64)] = [
                ("add", f.add(a, b, rm), sum.rounded(to: f, rm, zeroSign: sumZeroSign)),
                ("sub", f.sub(a, b, rm), (x + negB).rounded(to: f, rm, zeroSign: diffZeroSign)),
                ("mul", f.mul(a, b, rm), (x * y).rounded(to: f, rm, zeroSign: f.sign(a) != f.sign(b))),
            ]
            for (name, soft, exact) in expected where soft != exact {
                failures += 1
                if failures < 10 { Issue.record("\(f) \(name) \(rm)(\(hex(a)), \(hex(b))): soft \(hex(soft)) exact \(hex(exact))") }
            }
        }
        #expect(failures == 0)
    }

    @Test(arguments: allNamedFormats)
    func fmaMatchesExactArithmetic(_ f: FloatFormat) {
        var source = OperandSource(f, seed: 0xF3A &+ UInt64(f.width))
        var failures = 0
        for i in 0..<Self.samples {
            let (a, b) = source.pair()
            // An addend near the product exercises deep cancellation.
            let c = i % 3 == 0 ? source.near(f.mul(a, b)) : source.one()
            if !f.isFinite(a) || !f.isFinite(b) || !f.isFinite(c) { continue }
            let rm = RoundingMode.allCases[i % 5]
            let product = ExactValue(f, a) * ExactValue(f, b)
            let zeroSign = product.sign == f.sign(c) ? f.sign(c) : rm == .down
            // A zero product keeps its own sign for the zero-sum rule.
            let exactZeroSign = (f.isZero(a) || f.isZero(b))
                ? ((f.sign(a) != f.sign(b)) == f.sign(c) ? f.sign(c) : rm == .down) : zeroSign
            let exact = (product + ExactValue(f, c)).rounded(to: f, rm, zeroSign: exactZeroSign)
            let soft = f.fma(a, b, c, rm)
            if soft != exact {
                failures += 1
                if failures < 10 { Issue.record("\(f) fma \(rm)(\(hex(a)), \(hex(b)), \(hex(c))): soft \(hex(soft)) exact \(hex(exact))") }
            }
        }
        #expect(failures == 0)
    }

    @Test(arguments: allNamedFormats)
    func conversionsAndScalingMatchExactRounding(_ f: FloatFormat) {
        var source = OperandSource(.fp64, seed: 0xC0417 &+ UInt64(f.width))
        for i in 0..<Self.samples / 4 {
            let rm = RoundingMode.allCases[i % 5]
            // Doubles spread over the target's whole range, subnormals and overflow included.
            let raw = source.rng.next()
            let span = UInt64(f.maxExponent - f.minExponent + f.fractionBits + 8)
            let exponent = Int(raw % span) + f.minExponent - f.fractionBits - 4
            let x = Double(sign: raw >> 63 == 1 ? .minus : .plus, exponent: exponent,
                           significand: 1 + Double(source.rng.next() >> 12) * 0x1p-52)
            // (For fp64 itself the span reaches past binary64's range: those become infinities.)
            guard x.isFinite else { continue }
            let exact = ExactValue(.fp64, x.bitPattern).rounded(to: f, rm, zeroSign: x.sign == .minus)
            #expect(f.fromDouble(x, rm) == exact, "\(f) fromDouble(\(x)) \(rm)")
            let a = source.one() & f.encodingMask
            if f.isFinite(a) {
                let k = Int(source.rng.next() % 41) - 20
                let value = ExactValue(f, a)
                let scaled = ExactValue(sign: value.sign, magnitude: value.magnitude, exponent: value.exponent + k)
                #expect(f.scaleB(a, k, rm) == scaled.rounded(to: f, rm, zeroSign: value.sign),
                        "\(f) scaleB(\(hex(a)), \(k)) \(rm)")
            }
        }
    }
}
