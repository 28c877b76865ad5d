import Golden
import Testing

// Round-to-nearest-even results compared with the machine's own IEEE arithmetic: Float for FP32,
// Float16 for FP16, and Float rounded once to BF16 (Float's 24 bits >= 2*8+2, so rounding the
// binary32 result again is innocuous for +, -, *, / and sqrt).

/// BF16 from Float bits by round-to-nearest-even on the top half (independent of the soft-float).
func bf16FromFloat(_ x: Float) -> UInt64 {
    if x.isNaN { return FloatFormat.bf16.canonicalNaN! }
    let bits = x.bitPattern
    let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
    return UInt64(rounded >> 16)
}

func floatFromBF16(_ a: UInt64) -> Float { Float(bitPattern: UInt32(a) << 16) }

/// Whether a soft result matches a native one: equal bits, or both NaN with the soft one canonical.
func matches(_ f: FloatFormat, soft: UInt64, native: UInt64) -> Bool {
    if f.isNaN(native) { return soft == f.canonicalNaN }
    return soft == native
}

@Suite struct SoftFloatNativeTests {
    static let randomPairs = longTests ? 10_000_000 : 1_000_000

    @Test func fp32ArithmeticMatchesFloat() {
        let f = FloatFormat.fp32
        var source = OperandSource(f, seed: 0x5EED_F032)
        var failures = 0
        for _ in 0..<Self.randomPairs {
            let (a, b) = source.pair()
            let c = source.one()
            let x = Float(bitPattern: UInt32(a)), y = Float(bitPattern: UInt32(b)), z = Float(bitPattern: UInt32(c))
            let checks: [(String, UInt64, Float)] = [
                ("add", f.add(a, b), x + y), ("sub", f.sub(a, b), x - y), ("mul", f.mul(a, b), x * y),
                ("fma", f.fma(a, b, c), z.addingProduct(x, y)), ("div", f.div(a, b), x / y),
                ("sqrt", f.sqrt(a), x.squareRoot()),
            ]
            for (name, soft, native) in checks where !matches(f, soft: soft, native: UInt64(native.bitPattern)) {
                failures += 1
                if failures < 10 {
                    Issue.record("fp32 \(name)(\(hex(a)), \(hex(b)), \(hex(c))): soft \(hex(soft)) native \(hex(UInt64(native.bitPattern)))")
                }
            }
        }
        #expect(failures == 0)
    }

    @Test func fp16ArithmeticMatchesFloat16() {
        let f = FloatFormat.fp16
        var source = OperandSource(f, seed: 0x5EED_F016)
        var failures = 0
        for _ in 0..<Self.randomPairs {
            let (a, b) = source.pair()
            let x = Float16(bitPattern: UInt16(a)), y = Float16(bitPattern: UInt16(b))
            let checks: [(String, UInt64, Float16)] = [
                ("add", f.add(a, b), x + y), ("sub", f.sub(a, b), x - y), ("mul", f.mul(a, b), x * y),
            ]
            for (name, soft, native) in checks where !matches(f, soft: soft, native: UInt64(native.bitPattern)) {
                failures += 1
                if failures < 10 { Issue.record("fp16 \(name)(\(hex(a)), \(hex(b))): soft \(hex(soft)) native \(hex(UInt64(native.bitPattern)))") }
            }
        }
        #expect(failures == 0)
    }

    @Test func bf16ArithmeticMatchesFloatRoundedOnce() {
        let f = FloatFormat.bf16
        var source = OperandSource(f, seed: 0x5EED_BF16)
        var failures = 0
        for _ in 0..<Self.randomPairs {
            let (a, b) = source.pair()
            let x = floatFromBF16(a), y = floatFromBF16(b)
            let checks: [(String, UInt64, Float)] = [
                ("add", f.add(a, b), x + y), ("sub", f.sub(a, b), x - y), ("mul", f.mul(a, b), x * y),
            ]
            for (name, soft, native) in checks where !matches(f, soft: soft, native: bf16FromFloat(native)) {
                failures += 1
                if failures < 10 { Issue.record("bf16 \(name)(\(hex(a)), \(hex(b))): soft \(hex(soft)) native \(hex(bf16FromFloat(native)))") }
            }
        }
        #expect(failures == 0)
    }

    @Test func fp32ConversionsMatchNative() {
        let f = FloatFormat.fp32
        var source = OperandSource(f, seed: 0xC0_4E47)
        for _ in 0..<200_000 {
            let a = source.one()
            let x = Float(bitPattern: UInt32(a))
            // Widening is exact.
            let d = f.toDouble(a)
            #expect(x.isNaN ? d.isNaN : d.bitPattern == Double(x).bitPattern)
            #expect(matches(.fp64, soft: f.convert(a, to: .fp64), native: Double(x).bitPattern))
            // Narrowing from a random double rounds like the machine.
            let wide = Double(bitPattern: source.rng.next())
            #expect(matches(f, soft: f.fromDouble(wide), native: UInt64(Float(wide).bitPattern)))
            #expect(matches(.fp16, soft: f.convert(a, to: .fp16), native: UInt64(Float16(x).bitPattern)))
            #expect(matches(.bf16, soft: f.convert(a, to: .bf16), native: bf16FromFloat(x)))
        }
    }

    @Test func fp32CompareMatchesFloat() {
        let f = FloatFormat.fp32
        var source = OperandSource(f, seed: 0xC0_4A4E)
        for _ in 0..<200_000 {
            let (a, b) = source.pair()
            let x = Float(bitPattern: UInt32(a)), y = Float(bitPattern: UInt32(b))
            let expected: FloatOrder = x.isNaN || y.isNaN ? .unordered : (x < y ? .less : (x == y ? .equal : .greater))
            #expect(f.compare(a, b) == expected)
        }
    }
}

func hex(_ x: UInt64) -> String { "0x" + String(x, radix: 16) }
