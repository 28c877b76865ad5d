import Golden
import HDL

/// The range batch-norm inference unit (golden model `RangeBatchNorm.inference`, bit for bit):
/// normalizes with stored running statistics in a single streaming pass, P elements per cycle,
/// no tensor memory.
///
/// Ports:
/// - `param_valid`, `param_channel`, `param_gamma`, `param_beta`, `param_mean`, `param_range`
///   (FP32): one channel's parameters and running statistics (`RangeBatchNormRunning`, as the
///   training unit's `running_*` report them). A pipeline computes the channel's
///   a = gamma / (range * C(n) + eps) (the Newton reciprocal) and stores mean, a and beta;
///   `in_ready` stays low while loads are in flight.
/// - `in_valid`, `in_ready`, `in_scale`, `in_data`: input blocks, position-major, any number
///   of positions.
/// - `out_valid`, `out_ready`, `out_last`, `out_scale`, `out_data`: the normalized blocks.
///
/// Each input beat is dequantized, y = (x - mean) * a + beta per lane (one FP operation per
/// stage) and quantized into an output FIFO; the input is taken only while the FIFO has room for
/// every beat in flight, so the unit runs at full rate while `out_ready` is high.
public enum RangeBNInferenceCircuit {
    /// Cycles from a load on `param_*` to its values being used.
    public static func parameterLatency(steps: Int) -> Int { 3 + RangeBNReciprocalCircuit.latency(steps: steps) }

    /// The module, named `rangebn_infer_<config.nameSuffix>`; throws `RangeBatchNormError` if a
    /// submodule cannot be built.
    public static func module(_ config: RangeBNUnitConfig) throws -> Module {
        let parts = try RangeBNUnitParts(config)
        let g = config.golden, p = config.lanes
        return Module("rangebn_infer_\(config.nameSuffix)") {
            let d = parts.datapath()
            let ports = parts.unitPorts()
            let (inValid, inReady, inScale, inData) = (ports.inValid, ports.inReady, ports.inScale, ports.inData)
            let (paramValid, paramChannel, paramGamma, paramBeta) = (ports.paramValid, ports.paramChannel, ports.paramGamma, ports.paramBeta)
            let paramMean = Input("param_mean", .bits(32))
            let paramRange = Input("param_range", .bits(32))

            // P1 range * C(n), P2 + eps, the reciprocal, P3 * gamma; the rest travels beside.
            let constantC = Const(Int(RangeBatchNorm.constantC(positions: g.positions, chunks: g.chunks)), width: 32)
            let eps = Const(Int(g.eps), width: 32)
            let p1Valid = RegNext("p1_valid", paramValid, reset: 0)
            let p1Scaled = RegNext("p1_scaled", d.ops.apply(d.fp.mul, paramRange, constantC))
            let recip = Instance(parts.reciprocal, "u_reciprocal")
            recip.in_valid <== RegNext("p2_valid", p1Valid, reset: 0)
            recip.d <== RegNext("p2_d", d.ops.apply(d.fp.add, p1Scaled, eps))
            var carried = [paramChannel, paramGamma, paramBeta, paramMean]
            var inFlight = [paramValid, p1Valid]
            for stage in 0..<(2 + RangeBNReciprocalCircuit.latency(steps: g.newtonSteps)) {
                carried = carried.enumerated().map { RegNext("p_carry\($0.offset)_d\(stage)", $0.element) }
                if stage >= 1 { inFlight.append(RegNext("p_valid_d\(stage)", inFlight.last!, reset: 0)) }
            }
            let p3Valid = RegNext("p3_valid", recip.out_valid, reset: 0)
            let p3Channel = RegNext("p3_channel", carried[0])
            let p3Factor = RegNext("p3_factor", d.ops.apply(d.fp.mul, recip.r, carried[1]))
            let p3Beta = RegNext("p3_beta", carried[2]), p3Mean = RegNext("p3_mean", carried[3])
            let means = d.channelRegisters("mean", width: 32), factors = d.channelRegisters("factor", width: 32)
            let betas = d.channelRegisters("beta", width: 32)
            When(p3Valid) {
                for c in 0..<g.channels {
                    When(p3Channel == c) {
                        means[c] <== p3Mean
                        factors[c] <== p3Factor
                        betas[c] <== p3Beta
                    }
                }
            }
            let loading = inFlight.dropFirst().reduce(p3Valid) { $0 | $1 } | recip.out_valid

            let output = RangeBNOutputQueue("buf", depth: config.inferenceFIFODepth)
            let ready = !loading & !paramValid & output.hasRoom
            inReady <== ready
            let accept = inValid & ready
            let deq = parts.dequantize("u_dequantize", valid: accept, scale: inScale, data: inData)
            let normalized = d.normalize(x: deq.lanes, valid: deq.valid,
                                         means: means, factors: factors, betas: betas, banked: false)
            let q = Instance(parts.quantizer, "u_quantize")
            q.in_valid <== normalized.valid
            q.in_data <== packLanes(normalized.y)
            output.connect("out", name: "buf", quantizer: q, dataWidth: p * g.output.element.width, issue: accept)
        }
    }
}
