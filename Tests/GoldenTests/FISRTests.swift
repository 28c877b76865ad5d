import Golden
import Testing

// FISR against a native-Float transcription of the same algorithm (bit for bit), and its error
// bounds over every positive finite 16-bit encoding.

/// Quake/Lomont FISR written directly in Float: the same operation order, rounded by the machine.
func nativeFISR(_ s: Float, magic: UInt32, steps: Int) -> Float {
    var y = Float(bitPattern: magic &- (s.bitPattern >> 1))
    for _ in 0..<steps { y = y * (1.5 - 0.5 * s * y * y) }
    return y
}

@Suite struct FISRTests {
    @Test func fp32MatchesNativeTranscription() {
        var rng = SeededRandom(seed: 0xF15A)
        for _ in 0..<200_000 {
            // Positive finite floats, subnormals included.
            let s = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) % 0x7F80_0000 + 1)
            for steps in 0...3 {
                let magic = FISR.magic(for: .fp32, newtonSteps: steps)
                let soft = FISR.inverseSqrt(UInt64(s.bitPattern), format: .fp32, newtonSteps: steps, magic: magic)
                let native = nativeFISR(s, magic: UInt32(magic), steps: steps)
                #expect(soft == UInt64(native.bitPattern), "FISR(\(s)) steps \(steps)")
            }
        }
        // The Quake constant is accepted too.
        let quake = FISR.inverseSqrt(UInt64(Float(4).bitPattern), format: .fp32, newtonSteps: 1, magic: FISR.quakeFP32)
        #expect(quake == UInt64(nativeFISR(4, magic: UInt32(FISR.quakeFP32), steps: 1).bitPattern))
    }

    @Test func genericConstantReproducesTheClassicOnes() {
        // The derivation gives Quake's FP32 constant to within 2 units and the spec's 16-bit ones.
        let generic = { (e: Int, f: Int) in
            FISR.magic(for: FloatFormat(name: "x", exponentBits: e, fractionBits: f, specials: .nanOnlyAllOnes), newtonSteps: 0)
        }
        #expect(abs(Int(generic(8, 23)) - 0x5F37_59DF) <= 2)
        #expect(abs(Int(generic(8, 7)) - 0x5F37) <= 1 && abs(Int(generic(5, 10)) - 0x59BB) <= 1)
    }

    @Test func fp32LomontErrorAfterOneStep() {
        // Lomont: max relative error 0.175% after one Newton step (over normal inputs; a sweep over
        // one binade pair covers every mantissa the approximation sees).
        var worst = 0.0
        var bits: UInt32 = 0x3F80_0000
        while bits < 0x4080_0000 {
            let s = Float(bitPattern: bits)
            let y = FISR.inverseSqrt(UInt64(bits), format: .fp32, newtonSteps: 1, magic: 0x5F37_5A86)
            let exact = 1 / Double(s).squareRoot()
            worst = max(worst, abs(Double(Float(bitPattern: UInt32(y))) - exact) / exact)
            bits &+= 97
        }
        #expect(worst < 0.00176 && worst > 0.0017)
    }

    /// Bound: the exact-arithmetic error of the magic seed (3.5%, + u for the seed's own
    /// quantization) or of the Newton steps after it (0.18% after one, ~5e-6 after two), plus five
    /// roundings of the format's unit roundoff u
    /// (three products and a difference per step, one seed truncation).
    @Test(arguments: [FloatFormat.fp16, .bf16])
    func sixteenBitErrorBoundsExhaustive(_ f: FloatFormat) {
        let u = Double(sign: .plus, exponent: -f.precision, significand: 1)
        let bounds = [0.035 + u, 0.0018 + 5 * u, 5e-6 + 5 * u, 5 * u]
        for steps in 0...3 {
            let magic = FISR.magic(for: f, newtonSteps: steps)
            var worst = 0.0
            for s: UInt64 in 1..<f.encode(sign: false, exponentField: f.maxExponentField, fractionField: 0) {
                let y = FISR.inverseSqrt(s, format: f, newtonSteps: steps, magic: magic)
                let exact = 1 / f.toDouble(s).squareRoot()
                // Below the normal range the bit trick has no meaning; measure normals only.
                if f.isSubnormal(s) || !f.isFinite(y) || f.isSubnormal(y) { continue }
                worst = max(worst, abs(f.toDouble(y) - exact) / exact)
            }
            #expect(worst < bounds[steps], "\(f) FISR steps \(steps): worst relative error \(worst)")
        }
        #expect(FISR.inverseSqrt(0, format: f, newtonSteps: 1, magic: 0x5F35) == f.invalidResult)
    }
}
