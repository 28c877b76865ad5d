import Testing
import Golden

/// Examples worked by hand from the definitions in the BFP spec and OCP MX v1.0.
@Suite struct BFPHandExampleTests {
    func quantize(_ xs: [Float], _ element: BFPElementKind, rule: BFPScaleRule = .floor,
                  rounding: BFPRounding = .nearestEven, flush: Bool = false) throws -> BFPBlock {
        let format = try BFPFormat(blockSize: xs.count, element: element, rule: rule, rounding: rounding,
                                   flushSubnormals: flush)
        var q = try BFPQuantizer(format: format, source: .fp32)
        return try q.quantize(block: xs.map(BFPNative.fp32))
    }

    @Test func e4m3SaturatesAboveMax() throws {
        // amax 485: floor(log2) = 8 = emax(E4M3), scale 2^0. 485 = 15.16 * 32 rounds to 480, whose
        // encoding S.1111.111 is NaN in E4M3, so it saturates to 448 = S.1111.110.
        let b = try quantize([485, 1, -485, 0], .float(.e4m3))
        #expect(b.scale == 127)
        #expect(b.elements == [0x7E, 0x38, 0xFE, 0x00])
    }

    @Test func tiesDifferBetweenEvenAndAway() throws {
        // Scale 2^0 (amax 256). 1.0625 = 8.5 eighths: even -> 1.0 (0x38), away -> 1.125 (0x39).
        // 1.1875 = 9.5 eighths: both -> 1.25 (0x3A). Truncation keeps 1.0 and 1.125.
        let xs: [Float] = [256, 1.0625, -1.0625, 1.1875]
        #expect(try quantize(xs, .float(.e4m3), rounding: .nearestEven).elements == [0x78, 0x38, 0xB8, 0x3A])
        #expect(try quantize(xs, .float(.e4m3), rounding: .nearestAway).elements == [0x78, 0x39, 0xB9, 0x3A])
        #expect(try quantize(xs, .float(.e4m3), rounding: .towardZero).elements == [0x78, 0x38, 0xB8, 0x39])
    }

    @Test func mxint8() throws {
        // amax 1.0 -> scale 2^0; units of 2^-6. -0.75 = -48 = 0xD0; 1/128 = half a unit (a tie).
        let xs: [Float] = [1, 0.5, -0.75, 0.0078125]
        #expect(try quantize(xs, .int(magnitudeBits: 7)).elements == [64, 32, 0xD0, 0])
        #expect(try quantize(xs, .int(magnitudeBits: 7), rounding: .nearestAway).elements == [64, 32, 0xD0, 1])
        // 1.999 * 64 = 127.94 rounds to 128 and saturates to 127; the negative side stops at -127
        // (0x81), never the two's-complement minimum -128 (-2.0).
        let s = try quantize([1.999, -1.999], .int(magnitudeBits: 7))
        #expect(s.scale == 127 && s.elements == [0x7F, 0x81])
    }

    @Test func e5m2CarryIntoSaturation() throws {
        // 65000 = 7.93 * 2^13 rounds to 8 * 2^13 = 65536 > 57344 (E5M2 max) -> 0x7B, not infinity.
        let b = try quantize([65000], .float(.e5m2))
        #expect(b.scale == 127 && b.elements == [0x7B])
    }

    @Test func ceilRuleKeepsElementsWithinOne() throws {
        // HBFP: ceil(log2 1.0) = 0 -> 1.0 = 64; ceil(log2 1.5) = 1 -> scale 2^1, 1.5/2 = 0.75 = 48.
        #expect(try quantize([1.0, 0.75], .int(magnitudeBits: 7), rule: .ceil).elements == [64, 48])
        let b = try quantize([1.5, -0.25], .int(magnitudeBits: 7), rule: .ceil)
        #expect(b.scale == 128 && b.elements == [48, UInt64(256 - 8)])
    }

    @Test func allZeroBlockGetsSmallestScale() throws {
        let b = try quantize([0, -0.0, 0, 0], .float(.e4m3))
        #expect(b.scale == 0 && b.elements == [0, 0x80, 0, 0])
        #expect(try quantize([0, -0.0], .int(magnitudeBits: 7)).elements == [0, 0])
    }

    @Test func nanOrInfinityMakesTheBlockNaN() throws {
        for special in [Float.nan, .infinity, -.infinity] {
            let b = try quantize([1, special, 2, 3], .float(.e4m3))
            #expect(b.isNaN && b.elements == [0, 0, 0, 0])
        }
    }

    @Test func scaleOverflowAndUnderflow() throws {
        // Ceil rule, integer elements: ceil(log2 FLT_MAX) = 128 > 127 -> NaN scale.
        #expect(try quantize([.greatestFiniteMagnitude], .int(magnitudeBits: 7), rule: .ceil).isNaN)
        // Floor rule: scale 2^127, FLT_MAX / 2^127 = 1.99999988 -> 128 units -> saturates to 127.
        let top = try quantize([.greatestFiniteMagnitude], .int(magnitudeBits: 7))
        #expect(top.scale == 254 && top.elements == [0x7F])
        // 2^-149: floor(log2) - 8 = -157 clamps to -127; 2^-22 is below E4M3's 2^-9 -> 0.
        let tiny = try quantize([.leastNonzeroMagnitude], .float(.e4m3))
        #expect(tiny.scale == 0 && tiny.elements == [0])
    }

    @Test func subnormalsQuantizeOrFlush() throws {
        // 2^-130: floor(log2) - 8 = -138 clamps to -127; 2^-3 in E4M3 is exponent field 4 -> 0x20.
        let x = Float(sign: .plus, exponent: -130, significand: 1)
        #expect(try quantize([x, -x], .float(.e4m3)).elements == [0x20, 0xA0])
        let flushed = try quantize([x, -x], .float(.e4m3), flush: true)
        #expect(flushed.scale == 0 && flushed.elements == [0, 0x80])
    }

    @Test func dequantizeExamples() throws {
        let e4m3 = try BFPFormat(blockSize: 2, element: .float(.e4m3))
        // 448 * 2^10 = 458752 exactly in FP32.
        #expect(try e4m3.dequantize(BFPBlock(scale: 137, elements: [0x7E, 0xB8]), to: .fp32)
                == [BFPNative.fp32(458752), BFPNative.fp32(-1024)])
        // 448 * 2^8 = 114688 overflows FP16 -> infinity.
        #expect(try e4m3.dequantize(BFPBlock(scale: 135, elements: [0x7E, 0x7F]), to: .fp16) == [0x7C00, 0x7E00])
        #expect(try e4m3.dequantize(BFPBlock(scale: 255, elements: [0, 0]), to: .fp32)
                == [0x7FC0_0000, 0x7FC0_0000])
        // MXINT8 into FP16 subnormals: 1 * 2^-6 * 2^-20 = 2^-26 rounds to 0; 3 * 2^-6 * 2^-19 =
        // 1.5 * 2^-24 is a tie between 1 and 2 units of 2^-24 -> 2 (even); -128 decodes as -2.0,
        // -2^-18 = -64 units; -1 gives -2^-25, a tie between 0 and 1 unit -> -0.
        let int8 = try BFPFormat(blockSize: 3, element: .int(magnitudeBits: 7))
        #expect(try int8.dequantize(BFPBlock(scale: 107, elements: [1, 0, 0]), to: .fp16) == [0, 0, 0])
        #expect(try int8.dequantize(BFPBlock(scale: 108, elements: [3, 0x80, 0xFF]), to: .fp16)
                == [0x0002, 0x8040, 0x8000])
    }

    @Test func badInputIsAnError() throws {
        #expect(throws: BFPFormatError.self) { try BFPFormat(blockSize: 0, element: .int(magnitudeBits: 7)) }
        #expect(throws: BFPFormatError.self) { try BFPElementKind(parsing: "int:0") }
        #expect(throws: BFPFormatError.self) { try BFPElementKind(parsing: "fp:4") }
        #expect(throws: BFPFormatError.self) { try BFPFormat.preset(named: "mxfp7") }
        #expect(throws: BFPFormatError.self) {
            try BFPQuantizer(format: BFPFormat.preset(named: "mxint8"), source: .fp32, seed: 0)
        }
        var q = try BFPQuantizer(format: BFPFormat.preset(named: "mxint8"), source: .fp32)
        #expect(throws: BFPFormatError.self) { try q.quantize(block: [0, 0]) }
        #expect(try BFPElementKind(parsing: "fp:4:3") == .float(.e4m3))
        #expect(try BFPFormat.preset(named: "MXFP8-E4M3").element == .float(.e4m3))
    }
}
