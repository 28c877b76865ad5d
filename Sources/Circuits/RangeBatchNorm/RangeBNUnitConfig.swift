import Golden

/// Parameters of the range batch-norm units: the golden model's configuration (channels C,
/// positions n, chunks K, input/output/gradient BFP formats, statistics format, eps, Newton
/// steps) plus the stream width P, the output quantizers' LFSR seed and the running statistics'
/// momentum.
///
/// The forward unit holds two tensors (n positions x C channels, position-major, blocks of g
/// channels) in an on-chip ring memory of 2 n*C/P beats; a tensor takes n*C/P input cycles
/// (statistics pass), C + 3 * steps + 6 cycles of per-channel finalization (mean, range, one
/// Newton reciprocal per channel) and n*C/P output cycles (normalize pass), and the next
/// tensor's statistics pass runs during this one's finalize and normalize.
public struct RangeBNUnitConfig: Sendable, Hashable, Codable {
    /// The golden model's parameters (shape, formats, statistics format, eps, Newton steps).
    public let golden: RangeBatchNormConfig
    /// Elements per beat, P (divides the block size g).
    public let lanes: Int
    /// Reset value of the output quantizer's stochastic-rounding LFSR.
    public let seed: UInt32
    /// The input side as a converter configuration (BFP -> FP32).
    public let inputConverter: BFPConverterConfig
    /// The output side as a converter configuration (FP32 -> BFP, seeded with `seed`).
    public let outputConverter: BFPConverterConfig
    /// The backward pass's gradient input (BFP -> FP32) and output (FP32 -> BFP, seeded with `seed`).
    public let gradientInputConverter: BFPConverterConfig
    public let gradientOutputConverter: BFPConverterConfig
    /// Momentum of the running statistics (PyTorch's convention: weight of the new tensor).
    public let momentum: Double

    /// PyTorch's default momentum.
    public static let defaultMomentum = 0.1

    /// Largest tensor the unit buffers, in beats (n * C / P; the ring holds two).
    public static let maxBeats = 1 << 16
    /// Largest channel count (every channel keeps its statistics in registers).
    public static let maxChannels = 1024

    /// A configuration; throws for shapes or formats the circuit cannot build.
    public init(golden: RangeBatchNormConfig, lanes: Int? = nil, seed: UInt32 = 1,
                momentum: Double = RangeBNUnitConfig.defaultMomentum) throws(RangeBatchNormError) {
        let p = lanes ?? golden.input.blockSize
        do {
            inputConverter = try BFPConverterConfig(floatFormat: .fp32, bfp: golden.input, lanes: p, seed: seed)
            outputConverter = try BFPConverterConfig(floatFormat: .fp32, bfp: golden.output, lanes: p, seed: seed)
            gradientInputConverter = try BFPConverterConfig(floatFormat: .fp32, bfp: golden.gradientInput, lanes: p, seed: seed)
            gradientOutputConverter = try BFPConverterConfig(floatFormat: .fp32, bfp: golden.gradientOutput, lanes: p, seed: seed)
        } catch {
            throw RangeBatchNormError(error.description)
        }
        guard momentum.isFinite, momentum >= 0, momentum <= 1 else {
            throw RangeBatchNormError("momentum must be in [0, 1], got \(momentum)")
        }
        guard golden.channels <= Self.maxChannels else {
            throw RangeBatchNormError("at most \(Self.maxChannels) channels, got \(golden.channels)")
        }
        guard golden.positions * golden.channels / p <= Self.maxBeats else {
            throw RangeBatchNormError("a tensor of \(golden.positions * golden.channels / p) beats exceeds the buffer limit of \(Self.maxBeats) beats")
        }
        guard golden.statFormat.width <= 62 else {
            throw RangeBatchNormError("the statistics format may be at most 62 bits wide, got \(golden.statFormat.width)")
        }
        do { _ = try FloatUnits(golden.statFormat) } catch {
            throw RangeBatchNormError("statistics format \(golden.statFormat.name): \(error)")
        }
        self.golden = golden
        self.lanes = p
        self.seed = seed
        self.momentum = momentum
    }


    /// Beats per position, C / P.
    public var beatsPerPosition: Int { golden.channels / lanes }
    /// Beats per tensor, n * C / P (in and out).
    public var beatsPerTensor: Int { golden.positions * beatsPerPosition }
    /// Input blocks per tensor, n * C / g.
    public var blocksPerTensor: Int { golden.positions * golden.groups }
    /// Depth of the output FIFO; the normalize pass issues a beat only when the FIFO will have
    /// room for it, so it must hold at least a block (the quantizer emits whole blocks) and, for
    /// full rate, the beats in flight between the memory read and the FIFO.
    public var outputFIFODepth: Int { normalizeLatency + 2 }
    /// Depth of the backward pass's dL/dx FIFO: the beats in flight from its memory read to the
    /// FIFO (memory read, dequantizer, four stages, quantizer) plus two.
    public var gradientFIFODepth: Int { 2 + 4 + gradientOutputConverter.quantizerLatency + 2 }
    /// Depth of the inference unit's output FIFO: the beats in flight from the input to the FIFO
    /// (dequantizer, three stages, quantizer) plus two.
    public var inferenceFIFODepth: Int { 1 + 3 + outputConverter.quantizerLatency + 2 }
    /// The training unit's backward pass, from the first dL/dy beat offered to the last dL/dx
    /// beat taken without stalls: load, the sums' pipeline, finalize, then the dL/dx stream
    /// through memory read, dequantizer, four stages, quantizer and FIFO.
    public var backwardCyclesPerTensor: Int {
        beatsPerTensor + 7 + golden.channels + 4 + beatsPerTensor + 6 + gradientOutputConverter.quantizerLatency + 1
    }

    /// Gradient elements per cycle of the backward pass.
    public var backwardElementsPerCycle: Double {
        Double(golden.positions * golden.channels) / Double(backwardCyclesPerTensor)
    }

    /// The inference unit's cycles from an input beat to its output beat: dequantizer, three
    /// stages, quantizer, FIFO.
    public var inferenceLatency: Int { 1 + 3 + outputConverter.quantizerLatency + 1 }
    /// Cycles from issuing a normalize-pass memory read to its beat entering the output FIFO:
    /// memory read, dequantizer, the three normalize stages (sub, mul, add), quantizer latency.
    public var normalizeLatency: Int { 2 + 3 + outputConverter.quantizerLatency }
    /// Cycles after a tensor's last input beat until its statistics are complete: the
    /// dequantizer, the statistics input register, the accumulator update, then the last chunk's
    /// range (widen max and min, subtract, add to the range sum), one stage each.
    public var statisticsLatency: Int { 5 }
    /// Cycles from a channel entering the finalize pipeline to its mean and factor being stored:
    /// A mul, conversion to FP32, mul by C(n), add eps, the reciprocal, mul by gamma.
    public var finalizeLatency: Int { 5 + RangeBNReciprocalCircuit.latency(steps: golden.newtonSteps) }
    /// Cycles from a tensor's first input beat to its last output beat when it streams alone
    /// without stalls: load, the statistics pipeline's drain, copying the statistics aside,
    /// finalization, normalize pass, and the drain of the last beat through the FIFO.
    public var cyclesPerTensor: Int {
        beatsPerTensor + statisticsLatency + 1 + finalizeCycles + beatsPerTensor + normalizeLatency + 1
    }

    /// Cycles per tensor when tensors stream back to back without stalls: a tensor's last beat
    /// waits until the previous finalize is done with the copied statistics.
    public var sustainedCyclesPerTensor: Int {
        max(beatsPerTensor, statisticsLatency + 2 + finalizeCycles)
    }

    /// Elements normalized per cycle when tensors stream back to back without stalls.
    public var sustainedElementsPerCycle: Double {
        Double(golden.positions * golden.channels) / Double(sustainedCyclesPerTensor)
    }
    /// Cycles of the finalize phase: one channel per cycle into its pipeline, then the pipeline's
    /// latency for the last channel.
    public var finalizeCycles: Int { golden.channels + finalizeLatency }

    /// Elements normalized per cycle when a tensor streams alone.
    public var elementsPerCycle: Double { Double(golden.positions * golden.channels) / Double(cyclesPerTensor) }

    /// A module-name fragment that identifies the configuration.
    public var nameSuffix: String {
        func side(_ c: BFPConverterConfig) -> String { String(c.nameSuffix.dropFirst("fp32_".count)) }
        let g = golden
        return "c\(g.channels)_n\(g.positions)_k\(g.chunks)_in_\(side(inputConverter))_out_\(side(outputConverter))"
            + "_a\(g.statFormat.exponentBits)f\(g.statFormat.fractionBits)_s\(g.newtonSteps)_eps\(String(g.eps, radix: 16))"
            + (seed == 1 ? "" : "_seed\(seed)")
            + (momentum == Self.defaultMomentum ? "" : "_m\(String(FloatFormat.fp32.fromDouble(momentum), radix: 16))")
    }
}
