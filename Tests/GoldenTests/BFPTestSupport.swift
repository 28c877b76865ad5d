import Golden

/// Source encodings as exact Doubles, through the native types (independent of FloatFormat).
enum BFPNative {
    static func double(_ bits: UInt64, _ format: FloatFormat) -> Double {
        switch format {
        case .fp32: return Double(Float(bitPattern: UInt32(bits)))
        case .fp16: return Double(Float16(bitPattern: UInt16(bits)))
        case .bf16: return Double(Float(bitPattern: UInt32(bits) << 16))
        default: fatalError("no native type for \(format)")
        }
    }

    static func isNegative(_ bits: UInt64, _ format: FloatFormat) -> Bool {
        bits >> UInt64(format.width - 1) & 1 == 1
    }

    static func fp32(_ x: Float) -> UInt64 { UInt64(x.bitPattern) }
}

/// Every element kind of the MX presets plus a narrow and a wide integer.
let bfpElementKinds: [BFPElementKind] = [
    .int(magnitudeBits: 7), .float(.e4m3), .float(.e5m2), .float(.e3m2), .float(.e2m3), .float(.e2m1),
    .int(magnitudeBits: 3), .int(magnitudeBits: 15),
]
