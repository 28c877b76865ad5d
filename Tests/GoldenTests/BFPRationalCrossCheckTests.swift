import Testing
import Golden

/// Random FP32 blocks shaped to hit the edge classes: a per-block center exponent anywhere from
/// subnormal to overflow, elements spread around it, zeros, subnormals, trailing zero bits (ties),
/// rare NaN/infinity.
func bfpRandomBlock(_ k: Int, _ rng: inout SeededRandom) -> [Float] {
    let center = Int.random(in: -10...264, using: &rng)
    let special = Int.random(in: 0..<100, using: &rng)
    return (0..<k).map { i in
        if special == 0 && i == k / 2 { return [Float.nan, .infinity, -.infinity].randomElement(using: &rng)! }
        let kind = Int.random(in: 0..<16, using: &rng)
        if kind == 0 { return Bool.random(using: &rng) ? 0 : -0.0 }
        let expField = kind == 1 ? 0 : min(max(center - Int.random(in: 0...40, using: &rng), 0), 254)
        var frac = UInt32.random(in: 0..<(1 << 23), using: &rng)
        frac &= ~((UInt32(1) << UInt32(Int.random(in: 0...23, using: &rng))) - 1)
        return Float(bitPattern: UInt32(Bool.random(using: &rng) ? 1 : 0) << 31 | UInt32(expField) << 23 | frac)
    }
}

@Suite struct BFPRationalCrossCheckTests {
    static let formats: [BFPFormat] = BFPFormat.presets.map(\.format) + [
        try! BFPFormat(blockSize: 8, element: .float(.e2m3), rule: .ceil, flushSubnormals: true),
        try! BFPFormat(blockSize: 5, element: .int(magnitudeBits: 12), stochasticBits: 5),
    ]

    @Test(arguments: formats)
    func fp32BlocksAgreeWithBigIntegerReference(_ base: BFPFormat) throws {
        for rounding in BFPRounding.allCases {
            let format = base.with(rounding: rounding)
            var golden = try BFPQuantizer(format: format, source: .fp32, seed: 99)
            var draws = try LFSR32(seed: 99)
            let reference = BFPRationalReference(format)
            var rng = SeededRandom(seed: 2026)
            var mismatches = 0
            for _ in 0..<1000 {
                let xs = bfpRandomBlock(format.blockSize, &rng)
                let got = try golden.quantize(block: xs.map(BFPNative.fp32))
                let randoms = xs.map { _ in rounding == .stochastic ? draws.next(bits: format.stochasticBits) : 0 }
                let want = reference.quantize(xs, randoms: randoms)
                if got != want {
                    mismatches += 1
                    if mismatches <= 3 { Issue.record("\(format) \(xs): got \(got), want \(want)") }
                }
            }
            #expect(mismatches == 0)
        }
    }
}
