import Testing
import Golden

/// BFP -> FP over every element encoding and every scale, against exact Double arithmetic rounded
/// once by the native conversions (FP32, FP16) or by an explicit nearest-even step (BF16).
@Suite struct BFPDequantizeTests {
    static func elementValue(_ bits: UInt64, _ kind: BFPElementKind) -> Double {
        switch kind {
        case .int(let m):
            let negative = bits >> UInt64(m) & 1 == 1
            return Double(negative ? Int(bits) - (1 << (m + 1)) : Int(bits)) * pow2(1 - m)
        case .float(let f):
            let fb = f.fractionBits, bias = (1 << (f.exponentBits - 1)) - 1
            let e = Int(bits >> UInt64(fb)) & ((1 << f.exponentBits) - 1), frac = Int(bits) & ((1 << fb) - 1)
            let sign: Double = bits >> UInt64(f.width - 1) & 1 == 1 ? -1 : 1
            if f.isNaN(bits) { return .nan }
            if f.isInfinite(bits) { return sign * .infinity }
            return sign * (e == 0 ? Double(frac) * pow2(1 - bias - fb) : Double((1 << fb) + frac) * pow2(e - bias - fb))
        }
    }

    static func bf16(_ x: Double) -> UInt64 {
        if x.isNaN { return 0x7FC0 }
        let sign: UInt64 = x.sign == .minus ? 0x8000 : 0
        let a = abs(x)
        if a == 0 { return sign }
        if a.isInfinite { return sign | 0x7F80 }
        let quantum = pow2(max(Int(a.exponent), -126) - 7)
        let r = (a / quantum).rounded(.toNearestOrEven) * quantum
        if r > Double(Float(bitPattern: 0x7F7F_0000)) { return sign | 0x7F80 }
        return sign | UInt64(Float(r).bitPattern >> 16)
    }

    @Test(arguments: bfpElementKinds.filter { $0.width <= 8 })
    func everyElementAndScale(_ kind: BFPElementKind) throws {
        let format = try BFPFormat(blockSize: 1 << kind.width, element: kind)
        let elements = (0..<UInt64(1 << kind.width)).map { $0 }
        for scale in UInt8(0)...255 {
            let block = BFPBlock(scale: scale, elements: elements)
            let exact = elements.map { scale == 255 ? .nan : Self.elementValue($0, kind) * pow2(Int(scale) - 127) }
            let fp32 = try format.dequantize(block, to: .fp32)
            let fp16 = try format.dequantize(block, to: .fp16)
            let bf16 = try format.dequantize(block, to: .bf16)
            for i in elements.indices {
                let x = exact[i]
                if x.isNaN {
                    #expect(fp32[i] == 0x7FC0_0000 && fp16[i] == 0x7E00 && bf16[i] == 0x7FC0)
                    continue
                }
                #expect(fp32[i] == UInt64(Float(x).bitPattern), "fp32 \(kind) scale \(scale) element \(i)")
                #expect(fp16[i] == UInt64(Float16(x).bitPattern), "fp16 \(kind) scale \(scale) element \(i)")
                #expect(bf16[i] == Self.bf16(x), "bf16 \(kind) scale \(scale) element \(i)")
            }
        }
    }

    @Test func roundTripIsExactForRepresentableBlocks() throws {
        // Quantize -> dequantize -> quantize is the identity on the quantized block (FP32 holds every
        // MX element times any scale that a FP32 block can produce, except beyond FLT_MAX).
        var rng = SeededRandom(seed: 7)
        for (name, format) in BFPFormat.presets {
            var q = try BFPQuantizer(format: format, source: .fp32)
            for _ in 0..<200 {
                let block = try q.quantize(block: bfpRandomBlock(format.blockSize, &rng).map(BFPNative.fp32))
                var again = try BFPQuantizer(format: format, source: .fp32)
                let back = try format.dequantize(block, to: .fp32)
                if block.isNaN || back.contains(where: { FloatFormat.fp32.isInfinite($0) }) { continue }
                let requantized = try again.quantize(block: back)
                // Normalization may pick a smaller scale when the largest element shrank; values agree.
                #expect(try format.dequantize(requantized, to: .fp32) == back, "\(name)")
            }
        }
    }
}
