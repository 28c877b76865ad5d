import Golden

/// Parameters of the IterNorm macro with BFP ports: the IterNorm configuration (its format is
/// the FP format inside) and the BFP formats of the input and output streams.
///
/// Both converters run at the macro's lanes P, so a beat never straddles two blocks: P must
/// divide both block sizes, and a vector must be a whole number of blocks of both formats, so
/// d is a multiple of lcm(k_in, k_out) (and therefore of P).
public struct IterNormBFPConfig: Sendable, Hashable {
    /// The IterNorm macro inside; its format is the FP side of both converters.
    public let iterNorm: IterNormConfig
    /// Format of the blocks arriving (from a BFP matmul engine).
    public let input: BFPFormat
    /// Format of the blocks leaving (for the next BFP matmul).
    public let output: BFPFormat
    /// Reset value of the output quantizer's stochastic-rounding LFSR (nonzero).
    public let seed: UInt32
    /// The BFP -> FP converter at the input edge.
    public let inputConverter: BFPConverterConfig
    /// The FP -> BFP converter at the output edge.
    public let outputConverter: BFPConverterConfig

    /// Throws `IterNormError` naming the first constraint a parameter breaks.
    public init(iterNorm: IterNormConfig, input: BFPFormat, output: BFPFormat, seed: UInt32 = 1) throws(IterNormError) {
        let p = iterNorm.lanes
        for (side, format) in [("input", input), ("output", output)] {
            guard format.blockSize % p == 0 else {
                throw IterNormError("lanes P = \(p) must divide the \(side) block size k = \(format.blockSize): "
                    + "a beat must not straddle two blocks (use fewer lanes or a larger block)")
            }
            guard iterNorm.dMax % format.blockSize == 0 else {
                throw IterNormError("d-max \(iterNorm.dMax) must be a whole number of \(side) blocks (k = \(format.blockSize))")
            }
        }
        let block = Self.lcm(input.blockSize, output.blockSize)
        guard block <= iterNorm.dMax, iterNorm.dMax % block == 0 else {
            throw IterNormError("d-max \(iterNorm.dMax) must be a multiple of lcm(k_in, k_out) = \(block)")
        }
        self.iterNorm = iterNorm
        self.input = input
        self.output = output
        self.seed = seed
        // The converters check what they alone know (bus widths, beats per block, element limits).
        do {
            inputConverter = try BFPConverterConfig(floatFormat: iterNorm.format, bfp: input, lanes: p)
            outputConverter = try BFPConverterConfig(floatFormat: iterNorm.format, bfp: output, lanes: p, seed: seed)
        } catch {
            throw IterNormError(error.message)
        }
    }

    /// The granule of legal vector lengths, lcm(k_in, k_out).
    public var dGranule: Int { Self.lcm(input.blockSize, output.blockSize) }

    /// The vector lengths the configuration accepts: multiples of lcm(k_in, k_out) up to d-max.
    public var legalD: StrideThrough<Int> { stride(from: dGranule, through: iterNorm.dMax, by: dGranule) }

    /// Throws unless `d` is a whole number of input and output blocks in the macro's range.
    public func validate(d: Int) throws(IterNormError) {
        guard d >= dGranule, d <= iterNorm.dMax, d % dGranule == 0 else {
            throw IterNormError("d must be a multiple of lcm(k_in, k_out) = \(dGranule) (whole input and output blocks) "
                + "in \(dGranule)...\(iterNorm.dMax), got \(d)")
        }
    }

    static func lcm(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return a / x * b
    }
}

/// The golden model of the IterNorm macro with BFP ports: dequantize every input block
/// (`BFPFormat.dequantize`), normalize the vector (`Golden.IterNorm`), quantize the result
/// block by block (`BFPQuantizer`). The quantizer's stochastic-rounding state carries from
/// vector to vector, as in the circuit, so one instance models one stream.
public struct IterNormBFPGolden: Sendable {
    public let config: IterNormBFPConfig
    private var quantizer: BFPQuantizer

    /// A model of one stream, its output LFSR at `config.seed` (the circuit's reset state).
    public init(_ config: IterNormBFPConfig) throws(IterNormError) {
        self.config = config
        do {
            quantizer = try BFPQuantizer(format: config.output, source: config.iterNorm.format, seed: config.seed)
        } catch {
            throw IterNormError(error.message)
        }
    }

    /// The input blocks decoded to the IterNorm format, concatenated (the macro's input vector).
    public func dequantize(_ blocks: [BFPBlock]) throws(IterNormError) -> [UInt64] {
        var x: [UInt64] = []
        for block in blocks {
            guard block.elements.count == config.input.blockSize else {
                throw IterNormError("an input block holds \(config.input.blockSize) elements, got \(block.elements.count)")
            }
            do { x += try config.input.dequantize(block, to: config.iterNorm.format) } catch {
                throw IterNormError(error.message)
            }
        }
        return x
    }

    /// Normalizes one vector given as input blocks; `gamma`/`beta` are encodings of the IterNorm
    /// format (as the parameter memory holds them). Returns the output blocks.
    public mutating func normalize(_ blocks: [BFPBlock], gamma: [UInt64]? = nil, beta: [UInt64]? = nil) throws(IterNormError) -> [BFPBlock] {
        let x = try dequantize(blocks)
        try config.validate(d: x.count)
        let y = try IterNorm(config.iterNorm).normalize(x: x, gamma: gamma, beta: beta)
        do { return try quantizer.quantize(stream: y) } catch { throw IterNormError(error.message) }
    }
}
