import Golden

/// Parameters of a BFP converter circuit (FP -> BFP or BFP -> FP).
///
/// Streams carry P elements per beat; a block of k elements spans k/P beats (P = k is a block per
/// beat); `in_valid` may drop anywhere, inside blocks too. FP -> BFP: latency k/P + 2 cycles
/// (first beat of a block streamed without gaps to its output), one beat per cycle. BFP -> FP is
/// element-wise given the scale: latency 1, one beat per cycle. Neither has back-pressure.
public struct BFPConverterConfig: Sendable, Hashable, Codable {
    /// The FP side: FP32, FP16 or BF16.
    public let floatFormat: FloatFormat
    public let bfp: BFPFormat
    /// Elements per beat, P (divides the block size).
    public let lanes: Int
    /// Reset value of the stochastic-rounding LFSR (nonzero; unused by the other roundings).
    public let seed: UInt32

    /// A configuration; throws `BFPFormatError` for unsupported formats or lanes.
    public init(floatFormat: FloatFormat, bfp: BFPFormat, lanes: Int? = nil, seed: UInt32 = 1) throws(BFPFormatError) {
        guard [FloatFormat.fp32, .fp16, .bf16].contains(floatFormat) else {
            throw BFPFormatError("the FP side must be fp32, fp16 or bf16, got \(floatFormat.name)")
        }
        let p = lanes ?? bfp.blockSize
        guard p >= 1, bfp.blockSize % p == 0 else {
            throw BFPFormatError("lanes (\(p)) must divide the block size \(bfp.blockSize)")
        }
        guard p * max(floatFormat.width, bfp.element.width) <= 4096 else {
            throw BFPFormatError("\(p) lanes of \(floatFormat.name) make a bus wider than 4096 bits")
        }
        guard bfp.blockSize / p <= 64 else {
            throw BFPFormatError("a block may span at most 64 beats (k/P = \(bfp.blockSize / p)); use more lanes")
        }
        guard seed != 0 else { throw BFPFormatError("LFSR seed must be nonzero") }
        if case .float(let e) = bfp.element, e.exponentBits > 8 || e.fractionBits > 10 || e.fractionBits < 1 {
            throw BFPFormatError("float elements need at most 8 exponent and 1...10 fraction bits in hardware")
        }
        self.floatFormat = floatFormat
        self.bfp = bfp
        self.lanes = p
        self.seed = seed
    }

    /// Beats per block, k/P.
    public var beatsPerBlock: Int { bfp.blockSize / lanes }
    /// Cycles from an input beat to its output beat in the FP -> BFP converter.
    public var quantizerLatency: Int { beatsPerBlock + 2 }
    /// Cycles from an input beat to its output beat in the BFP -> FP converter.
    public var dequantizerLatency: Int { 1 }

    /// A module-name fragment that identifies the configuration.
    public var nameSuffix: String {
        let element: String
        switch bfp.element {
        case .int(let m): element = "int\(m)"
        case .float(let f): element = "e\(f.exponentBits)m\(f.fractionBits)"
        }
        let rounding: String
        switch bfp.rounding {
        case .nearestEven: rounding = "rne"
        case .nearestAway: rounding = "rna"
        case .towardZero: rounding = "rz"
        case .stochastic: rounding = "sr\(bfp.stochasticBits)"
        }
        return "\(floatFormat.name)_k\(bfp.blockSize)_p\(lanes)_\(element)_\(bfp.rule.rawValue)_\(rounding)"
            + (bfp.flushSubnormals ? "_ftz" : "")
    }
}
