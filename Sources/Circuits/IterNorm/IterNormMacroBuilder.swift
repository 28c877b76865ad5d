import Golden
import HDL

/// When the events of one vector happen in the macro, as built (`IterNormMacro.schedule`).
public struct IterNormSchedule: Sendable, Hashable {
    /// The cycle, counted from the vector's first input beat, in which its last output beat is
    /// on `out_valid`/`out_data`.
    let lastOutputBeat: Timing

    /// Cycles from the first input beat to the last output beat of one vector of `beats` beats.
    public func latency(beats: Int) -> Int { lastOutputBeat.cycle(beats: beats) + 1 }
}

/// The body of the IterNorm macro, composed as the algorithm's dataflow
/// (docs/iternorm-architecture.md): input pass and statistics, mean and pre-scale, norm pass,
/// the iterations (scalar or vector form) and the output pass, each a function of the previous
/// one's result; the buffer slots and the output register close the loop.
enum IterNormMacroBuilder {
    /// Builds the body inside `Module { }`; returns the schedule the passes' registers give.
    static func build(_ macro: IterNormMacro, tables: IterNormMacroTables, units: IterNormUnits) -> IterNormSchedule {
        let widths = IterNormWidths(macro, units: units)
        let ports = IterNormPorts(macro, widths: widths)
        let advance = Wire("advance", .bool)
        let outValid = Reg("out_valid_q", .bool, reset: 0, enable: advance)
        advance <== !(outValid && !ports.outReady)
        let d = IterNormDatapath(macro: macro, tables: tables, units: units, widths: widths,
                                 p: IterNormPipeline(advance: advance))
        let slotsBusy = (0..<macro.slots).map { Reg("slot_busy_\($0)", .bool, reset: 0, enable: advance) }

        let input = d.inputPass(ports, slotsBusy: slotsBusy)
        let sideband = d.meanAndScale(input.statistics, input.constants)
        // The wide mode keeps pass 2's y' for the output pass instead of recomputing it.
        let centred = macro.storesCentred
            ? Memory("centred", depth: macro.slots << widths.beat, .bits(macro.config.lanes * macro.config.accumulate.width)) : nil
        let norm = d.normPass(sideband, buffer: input.buffer, centred: centred, input.constants)
        let output: IterNormOutputResult
        switch macro.config.form {
        case .scalar:
            let iterations = d.scalarIterations(norm, input.constants)
            output = d.scalarOutputPass(iterations, buffer: input.buffer, centred: centred, input.constants, ports)
        case .vector:
            output = d.vectorForm(norm, buffer: input.buffer, input.constants, ports)
        }

        // A slot is busy from its vector's first beat to its last read.
        for (i, busy) in slotsBusy.enumerated() {
            let claim = input.claim && input.claimSlot == i
            let release = output.release && output.releaseSlot == i
            busy <== mux(claim, Const(1, width: 1), mux(release, Const(0, width: 1), busy))
        }
        let dataReg = d.p.stage("out_data_q", output.data)
        let lastReg = d.p.stage("out_last_q", output.beat.payload.last)
        outValid <== output.beat.valid
        ports.outData <== dataReg
        ports.outValid <== outValid
        ports.outLast <== lastReg && outValid
        // The control states a regression must reach: every slot used, all slots busy, both
        // handshakes stalled.
        for i in 0..<macro.slots { Cover("slot_\(i)_claimed", input.claim && input.claimSlot == i) }
        Cover("all_slots_busy", slotsBusy.dropFirst().reduce(slotsBusy[0]) { $0 && $1 })
        Cover("input_stalled", ports.inValid && !ports.inReady)
        Cover("output_back_pressure", outValid && !ports.outReady)
        Cover("output_beat", outValid && ports.outReady)
        return IterNormSchedule(lastOutputBeat: output.beat.timing + 1)
    }
}
