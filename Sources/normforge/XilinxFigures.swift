import Cosim

/// The Xilinx 7-series resources a `synth` report carries (nil with `--generic-only`).
protocol XilinxFigures {
    var luts: Int? { get set }
    var flipFlops: Int? { get set }
    var dsps: Int? { get set }
    var carries: Int? { get set }
    /// LUTs used as shift registers (SRL16E/SRLC32E; Yosys maps buffer chains there).
    var shiftRegisterLuts: Int? { get set }
}

extension XilinxFigures {
    /// Fills the resources from a `synth_xilinx` run.
    mutating func record(xilinx statistics: SynthesisStatistics) {
        luts = statistics.cells(prefix: "LUT")
        flipFlops = statistics.cells(prefix: "FD")
        dsps = statistics.cells(prefix: "DSP")
        carries = statistics.cells(prefix: "CARRY")
        shiftRegisterLuts = statistics.cells(prefix: "SRL")
    }
}
