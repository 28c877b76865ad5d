import Testing
import Golden

/// The binary64 host path of `add`, `sub` and `mul` (SoftFloatHostPath.swift) gives the bits of
/// the integer soft-float in every format that takes it: every edge class, then random operand
/// pairs (2e5 per format and operation here, 1e7 with NORMFORGE_LONG=1).
@Suite struct SoftFloatHostPathTests {
    static let formats: [FloatFormat] = [
        .fp32, .bf16, .fp16,
        FloatFormat(name: "e9m23", exponentBits: 9, fractionBits: 23),
        FloatFormat(name: "e9m24", exponentBits: 9, fractionBits: 24),
        FloatFormat(name: "e8m10", exponentBits: 8, fractionBits: 10),
        FloatFormat(name: "e5m2", exponentBits: 5, fractionBits: 2),
    ]

    /// Encodings of every class: zeros, subnormals, the normal range's ends and middle, the largest
    /// finite values, infinities and NaNs, with both signs, and neighbours of each.
    static func edges(_ f: FloatFormat) -> [UInt64] {
        let maxField = f.maxExponentField, frac = f.fractionMask
        var values: [UInt64] = [0, 1, 2, frac, frac - 1, frac + 1, frac + 2]
        for field in [1, 2, UInt64(f.bias) - 1, UInt64(f.bias), UInt64(f.bias) + 1, maxField - 2, maxField - 1, maxField] {
            for fraction in [0, 1, frac / 2, frac / 2 + 1, frac - 1, frac] {
                values.append((field << UInt64(f.fractionBits)) | (fraction & frac))
            }
        }
        return values.flatMap { [$0 & f.encodingMask, ($0 | f.signMask) & f.encodingMask] }
    }

    @Test(arguments: formats)
    func edgeClassesAgree(_ f: FloatFormat) {
        #expect(f.takesHostPath)
        let edges = Self.edges(f)
        var compared = 0
        for a in edges {
            for b in edges {
                #expect(f.add(a, b) == f.addSoft(a, b), "\(f.name) \(a) + \(b)")
                #expect(f.sub(a, b) == f.addSoft(a, b ^ f.signMask) || (f.isNaN(b) && f.sub(a, b) == f.invalidResult))
                #expect(f.mul(a, b) == f.mulSoft(a, b), "\(f.name) \(a) * \(b)")
                compared += 1
            }
        }
        #expect(compared == edges.count * edges.count)
    }

    @Test(arguments: formats)
    func randomOperandsAgree(_ f: FloatFormat) {
        let pairs = longTests ? 10_000_000 : 200_000
        var rng = SplitMix64(seed: UInt64(f.width * 131 + f.fractionBits))
        var mismatches = 0, hostTaken = 0
        for i in 0..<pairs {
            let a = rng.next() & f.encodingMask
            // Half the pairs close in exponent, where cancellation and ties are frequent.
            var b = rng.next() & f.encodingMask
            if i & 1 == 0 { b = (a & ~(f.fractionMask | f.signMask)) | (b & (f.fractionMask | f.signMask)) }
            if f.add(a, b) != f.addSoft(a, b) { mismatches += 1 }
            if f.mul(a, b) != f.mulSoft(a, b) { mismatches += 1 }
            if [a, b].allSatisfy({ (1..<f.maxExponentField).contains(f.exponentField($0)) }) { hostTaken += 1 }
        }
        #expect(mismatches == 0)
        #expect(hostTaken > pairs / 2, "most random pairs take the host path")
    }

    /// Conversions into a host-path format from binary64 and from every format of the path.
    @Test(arguments: formats)
    func conversionsAgree(_ target: FloatFormat) {
        var rng = SplitMix64(seed: UInt64(target.width))
        let n = longTests ? 2_000_000 : 100_000
        for source in Self.formats + [.fp64] {
            var values = Self.edges(source)
            for _ in 0..<n {
                values.append(rng.next() & source.encodingMask)
                // And values in (and just past) the target's exponent range, where the path applies.
                let e = Int(rng.next() % UInt64(2 * target.maxExponent + 8)) - target.maxExponent - 4
                let x = Double(sign: .plus, exponent: e, significand: 1 + Double(rng.next() >> 11) * 0x1p-53)
                values.append(source.fromDouble(rng.next() & 1 == 0 ? x : -x))
            }
            for a in values {
                #expect(source.convert(a, to: target) == source.convertSoft(a, to: target), "\(source.name) \(a) -> \(target.name)")
            }
        }
    }

    @Test func formatsOutsideThePathKeepTheSoftFloat() {
        #expect(!FloatFormat.fp64.takesHostPath)
        #expect(!FloatFormat(name: "e9m30", exponentBits: 9, fractionBits: 30).takesHostPath)
        #expect(!FloatFormat(name: "e10m23", exponentBits: 10, fractionBits: 23).takesHostPath)
        // Directed rounding never takes it.
        let f = FloatFormat.fp32, one = f.fromDouble(1), tiny = f.fromDouble(0x1p-30)
        #expect(f.add(one, tiny, .up) == f.fromDouble(1 + 0x1p-23))
        #expect(f.add(one, tiny) == one)
    }
}
