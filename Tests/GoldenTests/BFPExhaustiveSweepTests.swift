import Testing
import Golden

/// Every 16-bit input of FP16 and BF16, alone in a block (its own scale: the shared-exponent rule
/// and saturation of amax) and beside an anchor of 1.0 (a fixed scale: every element rounding case,
/// subnormal elements, underflow to zero), against the independent Double reference.
@Suite struct BFPExhaustiveSweepTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let source: FloatFormat
        let element: BFPElementKind
        let rule: BFPScaleRule
        var testDescription: String { "\(source) \(element) \(rule.rawValue)" }
    }

    static let cases: [Case] = [FloatFormat.fp16, .bf16].flatMap { s in
        bfpElementKinds.flatMap { e in BFPScaleRule.allCases.map { Case(source: s, element: e, rule: $0) } }
    }

    @Test(arguments: cases)
    func everySixteenBitInput(_ c: Case) throws {
        let anchor: UInt64 = c.source == .fp16 ? 0x3C00 : 0x3F80  // 1.0
        for rounding in BFPRounding.allCases {
            for blockSize in [1, 2] {
                let format = try BFPFormat(blockSize: blockSize, element: c.element, rule: c.rule,
                                           rounding: rounding)
                var golden = try BFPQuantizer(format: format, source: c.source, seed: 0xACE1)
                var draws = try LFSR32(seed: 0xACE1)
                let reference = BFPDoubleReference(format)
                var mismatches = 0
                for x in UInt64(0)...0xFFFF {
                    let block = blockSize == 1 ? [x] : [x, anchor]
                    let got = try golden.quantize(block: block)
                    let randoms = block.map { _ in
                        rounding == .stochastic ? draws.next(bits: format.stochasticBits) : 0
                    }
                    let want = reference.quantize(block.map { BFPNative.double($0, c.source) },
                                                  negative: block.map { BFPNative.isNegative($0, c.source) },
                                                  randoms: randoms)
                    if got != want {
                        mismatches += 1
                        if mismatches <= 3 {
                            Issue.record("\(format) input 0x\(String(x, radix: 16)): got \(got), want \(want)")
                        }
                    }
                }
                #expect(mismatches == 0, "\(format): \(mismatches) mismatches")
            }
        }
    }
}
