import Golden
import HDL

/// Every port of the IterNorm macro, declared in one place (see `IterNormMacro` for the protocol).
struct IterNormPorts {
    let outReady: Signal
    let inValid: Signal, inData: Signal, inBeats: Signal, inReady: Signal
    let outData: Signal, outValid: Signal, outLast: Signal
    /// The parameter load port, with affine only.
    let parameters: IterNormParameterPorts?

    init(_ macro: IterNormMacro, widths: IterNormWidths) {
        let c = macro.config, beat = HWType.bits(c.lanes * c.format.width)
        outReady = Input("out_ready", .bool)
        inValid = Input("in_valid", .bool)
        inData = Input("in_data", beat)
        inBeats = Input("in_beats", .uint(widths.count))
        inReady = Output("in_ready", .bool)
        outData = Output("out_data", beat)
        outValid = Output("out_valid", .bool)
        outLast = Output("out_last", .bool)
        parameters = c.affine ? IterNormParameterPorts(hasBeta: c.hasBeta, beat: beat, addressWidth: widths.beat) : nil
    }
}

/// `param_we`, `param_addr`, `param_gamma` and (LayerNorm) `param_beta`: loaded into the
/// parameter memories while no vector is in flight.
struct IterNormParameterPorts {
    let enable: Signal
    let address: Signal
    let gamma: Signal
    let beta: Signal?

    init(hasBeta: Bool, beat: HWType, addressWidth: Int) {
        enable = Input("param_we", .bool)
        address = Input("param_addr", .uint(addressWidth))
        gamma = Input("param_gamma", beat)
        beta = hasBeta ? Input("param_beta", beat) : nil
    }
}

/// The widths of the macro's counters and fields.
struct IterNormWidths {
    /// A beat index within a vector (0 ..< maxBeats).
    let beat: Int
    /// A beat count (1 ... maxBeats).
    let count: Int
    /// A buffer slot index.
    let slot: Int
    /// The pre-scale shift `-Tx`.
    let tx: Int

    init(_ macro: IterNormMacro, units: IterNormUnits) {
        beat = bitsFor(macro.maxBeats - 1)
        count = bitsFor(macro.maxBeats)
        slot = bitsFor(macro.slots - 1)
        tx = units.shiftWidth
    }
}
