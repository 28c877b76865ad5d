import Testing
import Golden

@Suite struct FloatFormatTests {
    @Test func fp32FieldsMatchNativeFloat() {
        let f = FloatFormat.fp32
        for x: Float in [1, -2.5, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, 0x1p-126] {
            let bits = UInt64(x.bitPattern)
            #expect(f.sign(bits) == (x.sign == .minus))
            #expect(f.exponentField(bits) == UInt64(x.exponentBitPattern))
            #expect(f.fractionField(bits) == UInt64(x.significandBitPattern))
            #expect(f.encode(sign: f.sign(bits), exponentField: f.exponentField(bits),
                             fractionField: f.fractionField(bits)) == bits)
        }
        #expect(f.maxFinite(sign: false) == UInt64(Float.greatestFiniteMagnitude.bitPattern))
        #expect(f.infinity(sign: true) == UInt64((-Float.infinity).bitPattern))
        #expect(f.isNaN(UInt64(Float.nan.bitPattern)))
        #expect(f.isSubnormal(UInt64(Float.leastNonzeroMagnitude.bitPattern)))
        #expect(f.bias == 127 && f.minExponent == -126 && f.maxExponent == 127)
    }

    @Test func mxElementConstants() {
        // OCP MX v1.0: E4M3 max 448 (emax 8), E5M2 emax 15, E3M2 emax 4, E2M3 / E2M1 emax 2.
        #expect(FloatFormat.e4m3.maxExponent == 8)
        #expect(FloatFormat.e4m3.maxFinite(sign: false) == 0b0_1111_110)
        #expect(FloatFormat.e4m3.isNaN(0b0_1111_111) && !FloatFormat.e4m3.isNaN(0b0_1111_110))
        #expect(FloatFormat.e5m2.maxExponent == 15)
        #expect(FloatFormat.e3m2.maxExponent == 4 && FloatFormat.e3m2.canonicalNaN == nil)
        #expect(FloatFormat.e2m3.maxExponent == 2 && FloatFormat.e2m1.maxExponent == 2)
        #expect(FloatFormat.named("BF16") == .bf16)
    }
}
