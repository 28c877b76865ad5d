import Foundation
import Golden
import HDL

/// The IterNorm macro with BFP ports, as it would sit after a BFP matmul engine: BFP blocks in,
/// BFP blocks out, converting at its edges. One top module instantiates the BFP -> FP converter
/// (`BFPDequantizerCircuit`), the IterNorm macro (`IterNormMacro`) and the FP -> BFP converter
/// (`BFPQuantizerCircuit`) unchanged; the top adds only the stream glue (the converters have no
/// back-pressure): a two-entry skid queue after the dequantizer and, after the quantizer, a
/// queue whose credits hold back the macro's output. Golden model: `IterNormBFPGolden`.
///
/// Ports (`P` = lanes, `Ei`/`Eo` = element widths, `W` = FP width):
/// - `in_valid`, `in_ready`, `in_data[P*Ei]`, `in_scale[8]` (E8M0, the same on every beat of a
///   block), `in_beats` (d / P, sampled with the first beat of a vector; d must be a whole
///   number of input and output blocks);
/// - `out_valid`, `out_ready`, `out_data[P*Eo]`, `out_scale[8]`, `out_block_last` (last beat of
///   a block), `out_last` (last beat of a vector);
/// - with affine, the macro's parameter port unchanged (FP encodings): `param_we`, `param_addr`,
///   `param_gamma[P*W]` and, for LayerNorm, `param_beta[P*W]`.
///
/// ```swift
/// let cfg = try IterNormBFPConfig(iterNorm: IterNormConfig(format: .bf16, lanes: 8, dMax: 256),
///                                 input: BFPFormat.preset(named: "mxint8"),
///                                 output: BFPFormat.preset(named: "mxfp8-e4m3"))
/// let design = try IterNormBFPMacro(cfg).design()
/// ```
public struct IterNormBFPMacro: Sendable {
    /// The IterNorm configuration and both BFP formats.
    public let config: IterNormBFPConfig
    /// The IterNorm macro inside.
    public let macro: IterNormMacro

    /// Throws `IterNormError` for a configuration the IterNorm generator does not support.
    public init(_ config: IterNormBFPConfig, slots: Int = 3) throws(IterNormError) {
        self.config = config
        macro = try IterNormMacro(config.iterNorm, slots: slots)
    }

    /// The converter configurations.
    private var converters: (input: BFPConverterConfig, output: BFPConverterConfig) {
        (config.inputConverter, config.outputConverter)
    }

    /// Entries of the output queue: the beats one block keeps inside the quantizer plus one
    /// cycle of credit return, so that an unstalled stream runs at one beat per cycle.
    public var outputQueueDepth: Int { converters.output.quantizerLatency + 2 }

    /// The top module name: the macro's name with both BFP formats.
    public var topName: String {
        let c = converters
        func tag(_ converter: BFPConverterConfig) -> String {
            // The converter's suffix minus its FP format and lanes, which the macro's name holds.
            let prefix = "\(converter.floatFormat.name)_k\(converter.bfp.blockSize)_p\(converter.lanes)_"
            return "k\(converter.bfp.blockSize)_" + converter.nameSuffix.dropFirst(prefix.count)
        }
        let seed = config.output.rounding == .stochastic ? "_s\(config.seed)" : ""
        let inner = macro.topName.hasPrefix("IterNorm_") ? String(macro.topName.dropFirst("IterNorm_".count)) : macro.topName
        return "IterNormBFP_\(tag(c.input))_to_\(tag(c.output))\(seed)_" + inner
    }

    /// Cycles from the first input beat to the last output beat of one vector of `d` elements
    /// with no back-pressure and an idle macro: the macro's latency plus the dequantizer's
    /// register and the quantizer's block wait.
    public func latency(d: Int) -> Int {
        let c = converters
        return c.input.dequantizerLatency + macro.latency(d: d) + c.output.quantizerLatency
    }

    /// Cycles the BFP edges add to the IterNorm macro's latency.
    public var edgeLatency: Int {
        let c = converters
        return c.input.dequantizerLatency + c.output.quantizerLatency
    }

    /// The elaborated, checked design.
    public func design() throws -> Design {
        try Design(top: module())
    }

    /// The top module.
    public func module() throws(IterNormError) -> Module {
        let inner = try macro.module()
        let c = converters
        let cfg = config.iterNorm, p = cfg.lanes, w = cfg.format.width
        let dequantizer = BFPDequantizerCircuit.module(c.input)
        let quantizer = BFPQuantizerCircuit.module(c.output)
        let depth = outputQueueDepth
        return Module(topName) {
            let inValid = Input("in_valid", .bool)
            let inReady = Output("in_ready", .bool)
            let inData = Input("in_data", .bits(p * config.input.element.width))
            let inScale = Input("in_scale", .bits(8))
            let norm = Instance(inner, "iternorm")
            let inBeats = Input("in_beats", norm.in_beats.type)
            let outValid = Output("out_valid", .bool)
            let outReady = Input("out_ready", .bool)
            let outData = Output("out_data", .bits(p * config.output.element.width))
            let outScale = Output("out_scale", .bits(8))
            let outBlockLast = Output("out_block_last", .bool)
            let outLast = Output("out_last", .bool)
            let dq = Instance(dequantizer, "dequantize")
            let q = Instance(quantizer, "quantize")

            // Input edge: BFP -> FP; in_beats rides beside the dequantizer's register.
            let beatsWidth = inBeats.width, fpWidth = p * w
            let dqBeats = RegNext("dq_beats", inBeats)
            let skid = RegisterQueue("skid", depth: 2, width: beatsWidth + fpWidth, countsEntries: true)
            let skidHead = skid.head
            let dqValid = dq.out_valid
            let normIn = mux(skid.isEmpty, cat(dqBeats, dq.out_data), skidHead)
            let normInValid = !skid.isEmpty || dqValid
            let normInFire = normInValid && norm.in_ready
            // A beat accepted now reaches the skid queue next cycle: accept only with room for it.
            let accept = skid.count!.zext(to: 3) &+ dqValid.zext(to: 3) < 2
            inReady <== accept
            dq.in_valid <== inValid && accept
            dq.in_scale <== inScale
            dq.in_data <== inData
            norm.in_valid <== normInValid
            norm.in_data <== normIn[fpWidth - 1, 0]
            norm.in_beats <== normIn[beatsWidth + fpWidth - 1, fpWidth]
            skid.update(push: dqValid && !(skid.isEmpty && normInFire), data: cat(dqBeats, dq.out_data),
                        pop: !skid.isEmpty && normInFire)
            if cfg.affine {
                norm.param_we <== Input("param_we", .bool)
                norm.param_addr <== Input("param_addr", norm.param_addr.type)
                norm.param_gamma <== Input("param_gamma", .bits(p * w))
                if cfg.hasBeta { norm.param_beta <== Input("param_beta", .bits(p * w)) }
            }

            // Output edge: FP -> BFP. Credits count the beats between the macro's output and the
            // top's output; the macro only emits while the output queue is sure to have room.
            let credits = Reg("credits", .uint(bitsFor(depth)), reset: 0)
            let normOutFire = norm.out_valid && norm.out_ready
            norm.out_ready <== credits < depth
            q.in_valid <== normOutFire
            q.in_data <== norm.out_data
            let lastFlags = RegisterQueue("vector_last", depth: depth, width: 1)
            lastFlags.update(push: normOutFire, data: norm.out_last, pop: q.out_valid)
            let quantized = cat(lastFlags.head, q.out_last, q.out_scale, q.out_data)
            let queue = RegisterQueue("out_queue", depth: depth, width: quantized.width, countsEntries: true)
            let outBeat = mux(queue.isEmpty, quantized, queue.head)
            let outFire = (!queue.isEmpty || q.out_valid) && outReady
            queue.update(push: q.out_valid && !(queue.isEmpty && outReady), data: quantized,
                         pop: !queue.isEmpty && outReady)
            credits <== credits &+ normOutFire.zext(to: credits.width) &- outFire.zext(to: credits.width)
            let dataWidth = outData.width
            outValid <== !queue.isEmpty || q.out_valid
            outData <== outBeat[dataWidth - 1, 0]
            outScale <== outBeat[dataWidth + 7, dataWidth]
            outBlockLast <== outBeat[dataWidth + 8]
            outLast <== outBeat[dataWidth + 9]
        }
    }
}

extension IterNormBFPMacro {
    /// Every generator parameter, one `name = value` per line: the IterNorm macro's, then both
    /// BFP formats and the edge figures (the header of the emitted top).
    public var parameterLines: [String] {
        func format(_ side: String, _ f: BFPFormat) -> [String] {
            ["\(side)_block = \(f.blockSize)", "\(side)_element = \(f.element)", "\(side)_rule = \(f.rule.rawValue)",
             "\(side)_rounding = \(f.rounding.rawValue)", "\(side)_flush_subnormals = \(f.flushSubnormals)"]
                + (f.rounding == .stochastic ? ["\(side)_stochastic_bits = \(f.stochasticBits)"] : [])
        }
        return macro.parameterLines + format("bfp_in", config.input) + format("bfp_out", config.output)
            + (config.output.rounding == .stochastic ? ["bfp_out_lfsr_seed = \(config.seed)"] : [])
            + ["legal_d = multiples of \(config.dGranule) up to \(config.iterNorm.dMax)",
               "edge_latency_cycles = \(edgeLatency)", "output_queue_depth = \(outputQueueDepth)"]
    }

    /// The SystemVerilog files, one per module: the top headed by the parameter list, the
    /// converters and the IterNorm macro and its units by a generic line.
    public func emit() throws -> [EmittedFile] {
        let design = try design()
        let header = (["Generated by NormForge (IterNorm macro with BFP ports). Do not edit."] + parameterLines)
            .joined(separator: "\n// ")
        let top = SystemVerilogEmitter(options: EmitOptions(header: header)).emit(design)
        let parts = SystemVerilogEmitter(options: EmitOptions(header: "Generated by NormForge (part of \(topName)). Do not edit."))
            .emit(design)
        return parts.filter { $0.moduleName != topName } + top.filter { $0.moduleName == topName }
    }
}
