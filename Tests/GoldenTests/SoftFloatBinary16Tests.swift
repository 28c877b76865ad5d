import Golden
import Testing

// Binary FP16/BF16 operations, round-to-nearest-even, against native arithmetic rounded once:
// every pair from a structured set (all exponents x both signs x boundary fractions), every
// encoding against each edge value, and seeded random pairs (1M by default, 10M with
// NORMFORGE_LONG=1). Float's 24 bits >= 2p+2 for p = 11 and 8, so the single extra rounding
// of a Float result is innocuous for +, -, *, /.

/// The structured operand set: every exponent field and sign with boundary fractions.
func structuredEncodings(_ f: FloatFormat) -> [UInt64] {
    let top = UInt64(1) << UInt64(f.fractionBits - 1)
    let fractions: [UInt64] = [0, 1, 2, top, top + 1, f.fractionMask - 1, f.fractionMask]
    var values: [UInt64] = []
    for field in 0...f.maxExponentField {
        for fraction in fractions {
            values.append(f.encode(sign: false, exponentField: field, fractionField: fraction))
            values.append(f.encode(sign: true, exponentField: field, fractionField: fraction))
        }
    }
    return values
}

/// Checks one pair through add, sub, mul, div and compare/minimum/maximum; returns the failures.
func checkPair16(_ n: Native16, _ a: UInt64, _ b: UInt64, failures: inout Int) {
    let f = n.format
    let x = n.float(a), y = n.float(b)
    let results: (UInt64, UInt64, UInt64, UInt64) = (f.add(a, b), f.sub(a, b), f.mul(a, b), f.div(a, b))
    let natives: (UInt64, UInt64, UInt64, UInt64) = (n.encode(x + y), n.encode(x - y), n.encode(x * y), n.encode(x / y))
    var ok = matches(f, soft: results.0, native: natives.0) && matches(f, soft: results.1, native: natives.1)
        && matches(f, soft: results.2, native: natives.2) && matches(f, soft: results.3, native: natives.3)
    let order: FloatOrder = x.isNaN || y.isNaN ? .unordered : (x < y ? .less : (x == y ? .equal : .greater))
    ok = ok && f.compare(a, b) == order
    // IEEE 754-2019 minimum/maximum: NaN propagates, -0 < +0.
    let minimum: UInt64, maximum: UInt64
    switch order {
    case .unordered: minimum = f.canonicalNaN!; maximum = f.canonicalNaN!
    case .less: minimum = a; maximum = b
    case .greater: minimum = b; maximum = a
    case .equal: (minimum, maximum) = f.sign(a) ? (a, b) : (b, a)
    }
    ok = ok && f.minimum(a, b) == minimum && f.maximum(a, b) == maximum
    if !ok {
        failures += 1
        if failures < 10 {
            Issue.record("\(f)(\(hex(a)), \(hex(b))): soft add/sub/mul/div \(results) native \(natives), compare \(f.compare(a, b)) vs \(order)")
        }
    }
}

@Suite struct SoftFloatBinary16Tests {
    @Test(arguments: Native16.allCases)
    func structuredPairs(_ n: Native16) {
        let values = structuredEncodings(n.format)
        var failures = 0
        for a in values { for b in values { checkPair16(n, a, b, failures: &failures) } }
        #expect(failures == 0)
    }

    @Test(arguments: Native16.allCases)
    func everyEncodingAgainstEdges(_ n: Native16) {
        let edges = edgeEncodings(n.format)
        var failures = 0
        for a: UInt64 in 0..<65_536 {
            for e in edges {
                checkPair16(n, a, e, failures: &failures)
                checkPair16(n, e, a, failures: &failures)
            }
        }
        #expect(failures == 0)
    }

    @Test(arguments: Native16.allCases)
    func seededRandomPairs(_ n: Native16) {
        var source = OperandSource(n.format, seed: n == .fp16 ? 0x16_16 : 0xBF_16)
        var failures = 0
        for _ in 0..<(longTests ? 10_000_000 : 1_000_000) {
            let (a, b) = source.pair()
            checkPair16(n, a, b, failures: &failures)
        }
        #expect(failures == 0)
    }
}
