import Cosim
import Foundation
import Synchronization

/// Runs any co-simulation driver on the standard-cell netlist of its design instead of the RTL:
/// the driver builds its testbench as usual, and the testbench maps the design (Yosys, cached)
/// and simulates the netlist with zero-delay cell models in its place, against the same golden
/// model. With `power`, the Verilator model also counts every net's transitions, from which
/// `power(...)` computes the run's power with OpenSTA.
public final class GateLevelSimulation: Sendable {
    public let library: LibertyLibrary
    public let synthesizer: ASICSynthesizer
    public let flatten: Bool
    public let targetPeriodNanoseconds: Double?
    /// A netlist to simulate as given (mapped elsewhere, or edited) instead of mapping the RTL.
    public let netlist: String?
    private let mappedDesign = Mutex<MappedDesign?>(nil)

    public init(library: LibertyLibrary, synthesizer: ASICSynthesizer = ASICSynthesizer(), flatten: Bool = true,
                targetPeriodNanoseconds: Double? = nil, netlist: String? = nil) {
        self.library = library
        self.synthesizer = synthesizer
        self.flatten = flatten
        self.targetPeriodNanoseconds = targetPeriodNanoseconds
        self.netlist = netlist
    }

    /// Verilator build options for a netlist: tens of thousands of cell instances make tens of
    /// megabytes of C++, which -O0 compiles several times faster than -O2 (the runs are short).
    public static let verilatorOptimization = "-O0"

    /// The netlist the last testbench simulated (nil before one was built).
    public var mapped: MappedDesign? { mappedDesign.withLock { $0 } }

    /// `base` with the netlist substituted for the RTL; with `toggleCoverage`, the Verilator
    /// model counts the transitions of every net (underscored Yosys names included) into that
    /// file when the run finishes.
    public func testbenchOptions(_ base: TestbenchOptions = TestbenchOptions(), toggleCoverage: URL? = nil) -> TestbenchOptions {
        var options = base
        if let toggleCoverage, netlist == nil {
            options.coverageFile = toggleCoverage
            options.verilator.extraVerilatorFlags.append("--coverage-underscore")
        }
        options.verilator.optimization = Self.verilatorOptimization
        options.substituteSources = { [self] rtl in
            if let netlist {
                return [VerilogSource(fileName: GateLevelNetlist.netlistFileName, text: netlist),
                        VerilogSource(fileName: GateLevelNetlist.cellsFileName, text: try CellModelWriter.verilog(library))]
            }
            let mapped = try synthesizer.synthesize(rtl.sources, top: rtl.topModule, library: library,
                                                    targetPeriodNanoseconds: targetPeriodNanoseconds, flatten: flatten)
            mappedDesign.withLock { $0 = mapped }
            return try GateLevelNetlist(mapped, library: library).sources
        }
        return options
    }

    /// Power of the run that wrote `toggleCoverage`, at `periodNanoseconds`, and the cycles the
    /// run lasted.
    public func power(toggleCoverage: URL, clock: String, periodNanoseconds: Double) throws -> (report: PowerReport, cycles: UInt64) {
        guard let mapped else { throw CosimError.unsupported("no gate-level netlist was simulated") }
        let toggles = try ToggleActivity(coverage: try String(contentsOf: toggleCoverage, encoding: .utf8),
                                         top: mapped.top, clock: clock)
        let report = try PowerAnalyzer(StaticTimingAnalyzer(library: library, locator: synthesizer.locator))
            .analyze(mapped, clock: clock, periodNanoseconds: periodNanoseconds, toggles: toggles)
        return (report, toggles.cycles)
    }
}
