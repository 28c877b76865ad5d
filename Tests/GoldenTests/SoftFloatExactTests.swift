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

    @Test(arguments: allNamedFormats)
    func divSqrtMatchExactArithmetic(_ f: FloatFormat) {
        var source = OperandSource(f, seed: 0xD1 &+ UInt64(f.width))
        var failures = 0
        for i in 0..<Self.samples {
            let (a, b) = source.pair()
            if !f.isFinite(a) || !f.isFinite(b) || f.isZero(a) || f.isZero(b) { continue }
            let rm = RoundingMode.allCases[i % 5]
            let x = ExactValue(f, a), y = ExactValue(f, b)
            // Quotient with 2p+4 more bits than needed, remainder as a sticky bit below them.
            let extra = 2 * f.precision + 4 + y.magnitude.bitWidth
            let (q, r) = (x.magnitude << extra).quotientAndRemainder(dividingBy: y.magnitude)
            let quotient = ExactValue(sign: x.sign != y.sign, magnitude: (q << 1) | (r == 0 ? 0 : 1),
                                      exponent: x.exponent - y.exponent - extra - 1)
            var checks = [("div", f.div(a, b, rm), quotient.rounded(to: f, rm, zeroSign: quotient.sign))]
            if !x.sign {
                // Even exponent, then a root with >= p + 2 bits and a sticky remainder bit.
                let shift = 2 * f.precision + 4 + ((x.exponent & 1) == 0 ? 0 : 1)
                let radicand = x.magnitude << shift
                let root = radicand.squareRoot()
                let sticky: BigUInt = root * root == radicand ? 0 : 1
                let exact = ExactValue(sign: false, magnitude: (root << 1) | sticky,
                                       exponent: (x.exponent - shift) / 2 - 1)
                checks.append(("sqrt", f.sqrt(a, rm), exact.rounded(to: f, rm, zeroSign: false)))
            }
            for (name, soft, exact) in checks where soft != exact {
                failures += 1
                if failures < 10 { Issue.record("\(f) \(name) \(rm)(\(hex(a)), \(hex(b))): soft \(hex(soft)) exact \(hex(exact))") }
            }
        }
        #expect(failures == 0)
    }

    @Test func invalidOperationsAndSaturationPolicy() {
        // FP6/FP4 have no NaN: invalid operations give +0; no infinity: overflow saturates.
        let e2m1 = FloatFormat.e2m1
        let six = e2m1.fromDouble(6), zero: UInt64 = 0
        #expect(e2m1.div(zero, zero) == 0 && e2m1.sqrt(e2m1.fromDouble(-1)) == 0)
        #expect(e2m1.div(six, zero) == six && e2m1.div(e2m1.negate(six), zero) == e2m1.maxFinite(sign: true))
        #expect(e2m1.add(six, six) == six && e2m1.mul(six, six, .towardZero) == six)
        // E4M3: NaN is S.1111.111 and canonical NaN is positive; 448 + 448 saturates, never NaN.
        let e4m3 = FloatFormat.e4m3
        let max = e4m3.maxFinite(sign: false)
        #expect(e4m3.add(max, max) == max && e4m3.fromDouble(485) == max && e4m3.fromDouble(1e9, .up) == max)
        #expect(e4m3.add(0xFF, 0) == e4m3.canonicalNaN && e4m3.sub(zero, 0x7F) == e4m3.canonicalNaN)
        #expect(FloatFormat.fp32.convert(UInt64(Float.nan.bitPattern), to: .e2m1) == 0)
        #expect(FloatFormat.fp32.convert(UInt64(Float.infinity.bitPattern), to: .e4m3) == max)
        // IEEE: overflow by direction; inf - inf, 0 * inf, 0/0 are the canonical NaN.
        let fp16 = FloatFormat.fp16, big = fp16.maxFinite(sign: false), inf = fp16.infinity(sign: false)!
        #expect(fp16.add(big, big) == inf && fp16.add(big, big, .towardZero) == big && fp16.add(big, big, .down) == big)
        #expect(fp16.sub(inf, inf) == fp16.canonicalNaN && fp16.mul(0, inf) == fp16.canonicalNaN)
        #expect(fp16.fma(0, inf, 0x3C00) == fp16.canonicalNaN && fp16.div(0, 0) == fp16.canonicalNaN)
        #expect(fp16.sub(0x3C00, 0x3C00) == 0 && fp16.sub(0x3C00, 0x3C00, .down) == fp16.signMask)
        #expect(fp16.sqrt(fp16.signMask) == fp16.signMask && fp16.negate(0x7C01) == fp16.canonicalNaN)
    }
}
