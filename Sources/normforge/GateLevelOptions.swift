import ArgumentParser
import Cosim
import Foundation
import Silicon

/// `--gate-level [--liberty FILE] [--power] [--clock-mhz F]` of the `cosim` commands: the run
/// simulates the design's standard-cell netlist instead of its RTL.
struct GateLevelOptions: ParsableArguments {
    @Flag(name: .customLong("gate-level"),
          help: "Simulate the standard-cell netlist (Yosys mapping to --liberty, zero-delay cell models) against the golden model.")
    var gateLevel = false

    @Option(help: "Liberty library of --gate-level (default: the OSU 0.18 um cells of qflow-tech-osu018).")
    var liberty: String?

    @Flag(help: "--gate-level on verilator: count every net's transitions and report the run's power and energy (OpenSTA).")
    var power = false

    @Option(name: .customLong("clock-mhz"), help: "Clock of the --power figures.")
    var clockMHz = 100.0

    @Option(help: "--gate-level: simulate this netlist (of --liberty's cells, e.g. written by synth --asic --netlist-out) instead of mapping the RTL.")
    var netlist: String?

    /// The gate-level run, or nil without `--gate-level`; `flatten` merges the hierarchy first.
    func prepare(backend: SimulationBackend, flatten: Bool = false) throws -> GateLevelRun? {
        guard gateLevel else {
            if power || liberty != nil || netlist != nil { throw BadInput("--power, --liberty and --netlist go with --gate-level") }
            return nil
        }
        guard backend != .irSim else { throw BadInput("--gate-level simulates a netlist: use --backend verilator or icarus") }
        if power && backend != .verilator { throw BadInput("--power counts toggles in Verilator: use --backend verilator") }
        guard clockMHz > 0 && clockMHz.isFinite else { throw BadInput("--clock-mhz must be a positive number") }
        if power && netlist != nil { throw BadInput("--power needs the mapping's own netlist: drop --netlist") }
        let library = try LibertyLibrary.load(liberty)
        var text: String?
        if let netlist {
            do { text = try String(contentsOfFile: netlist, encoding: .utf8) } catch {
                throw BadInput("cannot read the netlist \(netlist): \(error.localizedDescription)")
            }
        }
        var coverage: URL?
        if power {
            coverage = FileManager.default.temporaryDirectory
                .appendingPathComponent("normforge-toggles-\(UUID().uuidString).dat")
        }
        return GateLevelRun(simulation: GateLevelSimulation(library: library,
                                                             synthesizer: ASICSynthesizer(cacheDirectory: CacheLocation.defaultDirectory),
                                                             flatten: flatten, netlist: text),
                            toggleCoverage: coverage, clockMHz: clockMHz)
    }
}

/// One gate-level run in progress.
struct GateLevelRun {
    let simulation: GateLevelSimulation
    let toggleCoverage: URL?
    let clockMHz: Double

    func options(_ base: TestbenchOptions = TestbenchOptions()) -> TestbenchOptions {
        simulation.testbenchOptions(base, toggleCoverage: toggleCoverage)
    }

    /// The netlist's figures and, with `--power`, the run's energy per vector and element;
    /// nil for a `--netlist` run: a netlist given as is carries no mapping figures.
    func summary(vectors: Int, elements: Int, clock: String = "clk") throws -> GateLevelSummary? {
        guard simulation.netlist == nil else { return nil }
        guard let mapped = simulation.mapped else { throw CheckFailed("no gate-level netlist was simulated") }
        var power: PowerReport?
        var cycles: UInt64?
        if let toggleCoverage {
            defer { try? FileManager.default.removeItem(at: toggleCoverage) }
            (power, cycles) = try simulation.power(toggleCoverage: toggleCoverage, clock: clock, periodNanoseconds: 1000 / clockMHz)
        }
        return try GateLevelSummary(mapped, library: simulation.library, power: power, cycles: cycles,
                                    vectors: vectors, elements: elements)
    }
}
