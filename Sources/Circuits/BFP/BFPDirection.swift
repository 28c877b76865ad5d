import HDL

/// Which BFP converter: FP -> BFP (the quantizer) or BFP -> FP (the dequantizer); the raw value
/// is the CLI's subcommand name.
public enum BFPDirection: String, Sendable, CaseIterable {
    case convert = "bfp-convert"
    case deconvert = "bfp-deconvert"

    /// The converter's top module for `config`.
    public func module(_ config: BFPConverterConfig) -> Module {
        self == .convert ? BFPQuantizerCircuit.module(config) : BFPDequantizerCircuit.module(config)
    }

    /// Cycles from a block's first input beat to its first output beat.
    public func latency(_ config: BFPConverterConfig) -> Int {
        self == .convert ? config.quantizerLatency : config.dequantizerLatency
    }
}
