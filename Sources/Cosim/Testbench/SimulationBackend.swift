import Foundation

/// Where a `Testbench` runs its design.
public enum SimulationBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The built-in IR simulator (`HDL.IRSimulator`); needs a design built from HDL.
    case irSim = "ir-sim"
    /// Verilator, built into a shared library and driven in-process.
    case verilator
    /// Icarus Verilog: the test is recorded as vectors and replayed by the self-checking testbench.
    case icarus

    public var description: String { rawValue }
}

/// Knobs of a `Testbench`.
public struct TestbenchOptions: Sendable {
    /// Mismatches kept in the report (all are counted).
    public var maxReports: Int
    /// Write a VCD waveform here (every backend; the Verilator model is then built with trace).
    public var vcd: URL?
    /// Verilator build options (`trace` is forced on when `vcd` is set).
    public var verilator: VerilatorOptions
    /// The Verilator build cache (default: the shared one).
    public var cache: VerilatorBuildCache?
    /// Where the Icarus run writes its testbench and vector files (default: a temporary directory).
    public var icarusDirectory: URL?
    /// Verilator only: build the model with coverage and write its counts here (Verilator's
    /// `coverage.dat` format) when the test finishes.
    public var coverageFile: URL?
    /// What the simulator runs instead of the design's RTL, made from it: a synthesized netlist
    /// and its cell models (gate-level simulation, `Silicon.GateLevelNetlist`). The ports stay the
    /// design's; on `.icarus` the IR simulator still records the test from the HDL design, and
    /// Icarus replays it on these sources.
    public var substituteSources: (@Sendable (VerilogDesign) throws -> [VerilogSource])?

    public init(maxReports: Int = 10, vcd: URL? = nil, verilator: VerilatorOptions = VerilatorOptions(),
                cache: VerilatorBuildCache? = nil, icarusDirectory: URL? = nil, coverageFile: URL? = nil,
                substituteSources: (@Sendable (VerilogDesign) throws -> [VerilogSource])? = nil) {
        self.substituteSources = substituteSources
        self.maxReports = maxReports
        self.vcd = vcd
        self.verilator = verilator
        self.cache = cache
        self.icarusDirectory = icarusDirectory
        self.coverageFile = coverageFile
    }
}

/// A testbench's checks failed; the description is the whole report, values decoded.
public struct TestbenchFailure: Error, CustomStringConvertible, Sendable {
    public let report: CheckReport
    public var description: String { report.description }
}
