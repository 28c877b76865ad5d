import Cosim
import Foundation
import Silicon
import Testing

/// The standard-cell flow end to end on the OSU 0.18 um library, with the real Yosys, OpenSTA,
/// Verilator and Icarus.
@Suite(.serialized) struct ASICFlowTests {
    let library = SiliconFixtures.library

    /// Our area sum (cells x Liberty areas over the hierarchy) against Yosys's own `stat -liberty`
    /// of the mapped netlist.
    @Test func areaOfTheFP32AdderMatchesYosysStat() throws {
        let mapped = try ASICSynthesizer().synthesize([try SiliconFixtures.generated("FPAdd_e8f23")], top: "FPAdd_e8f23",
                                                      library: library)
        let area = try AreaReport(mapped, library: library)
        #expect(area.cells > 1000)
        #expect(area.flipFlops == 0 && area.memoryArea == 0)
        #expect(area.nand2Cell == "NAND2X1")
        #expect(abs(area.gateEquivalents - area.totalArea / 24) < 1e-6)
        #expect(abs(try yosysChipArea(mapped.netlist, top: "FPAdd_e8f23") - area.totalArea) < 0.5)
    }

    /// Hierarchy kept: the submodule counted by its instance, the memory in a module of its own.
    @Test func hierarchyAndMemoriesAreCountedApart() throws {
        let design = try SiliconFixtures.accumulatorDesign
        let mapped = try ASICSynthesizer().synthesize(design.sources, top: design.topModule, library: library)
        #expect(mapped.memoryBits == 16 * 8)
        #expect(mapped.module(named: "nf_acc_add") != nil)
        let memories = try #require(mapped.modules.first { $0.holdsMemories })
        #expect(mapped.instanceCounts[memories.name] == 1)
        let area = try AreaReport(mapped, library: library)
        #expect(area.memoryArea > 0 && area.logicArea > 0 && area.flipFlopArea > 0)
        // The 12 accumulator flip-flops; Yosys merges the registered read (`word`) into the
        // memory's read port, so those 8 count with the memory.
        #expect(area.flipFlops == 12)
        #expect(abs(area.totalArea - (try yosysChipArea(mapped.netlist, top: design.topModule))) < 0.5)
    }

    @Test func timingOfACombinationalUnitAndOfARegisteredDesign() throws {
        let sta = StaticTimingAnalyzer(library: library)
        let adder = try ASICSynthesizer().synthesize([try SiliconFixtures.generated("FPAdd_e8f23")], top: "FPAdd_e8f23",
                                                     library: library)
        let comb = try sta.analyze(adder, module: "FPAdd_e8f23", clock: "clk", periodNanoseconds: 50)
        #expect(!comb.clocked)
        let path = try #require(comb.path)
        // Input to output through tens of cells; with zero output delay the period is the arrival.
        #expect(path.arrivalNanoseconds > 3 && path.arrivalNanoseconds < 40)
        #expect(abs(path.minimumPeriodNanoseconds - path.arrivalNanoseconds) < 1e-3)
        #expect(path.cells > 10)
        let design = try SiliconFixtures.accumulatorDesign
        let registered = try ASICSynthesizer().synthesize(design.sources, top: design.topModule, library: library)
        let seq = try sta.analyze(registered, module: design.topModule, clock: "clk", periodNanoseconds: 2)
        #expect(seq.clocked)
        let regPath = try #require(seq.path)
        #expect(regPath.minimumPeriodNanoseconds > regPath.arrivalNanoseconds)
        #expect(abs(regPath.slackNanoseconds - (2 - regPath.minimumPeriodNanoseconds)) < 1e-6)
    }

    /// FO4 of a 0.18 um library: tens of picoseconds (published: ~45 ps at 90 nm, scaling
    /// roughly with the node).
    @Test func fo4DelayIsMeasured() throws {
        let fo4 = try FO4Delay(StaticTimingAnalyzer(library: library))
        #expect(fo4.inverter == "INVX1")
        #expect(fo4.picoseconds > 40 && fo4.picoseconds < 200)
    }

    /// The netlist on Verilator computes what the RTL does; one swapped cell does not.
    @Test func gateLevelSimulationMatchesTheRTLAndABrokenNetlistDoesNot() throws {
        let design = try SiliconFixtures.accumulatorDesign
        let rtl = try SiliconFixtures.run(Testbench(design, backend: .verilator), cycles: 300, seed: 7)
        let gates = GateLevelSimulation(library: library, flatten: false)
        let netlist = try SiliconFixtures.run(Testbench(design, backend: .verilator, options: gates.testbenchOptions()),
                                              cycles: 300, seed: 7)
        #expect(netlist == rtl)
        let mapped = try #require(gates.mapped)
        // One NAND2X1 of the adder becomes a NOR2X1 (same pins).
        let sources = try GateLevelNetlist(mapped, library: library).sources
        let broken = try Self.swapFirstCell(in: sources, from: "NAND2X1", to: "NOR2X1")
        var options = TestbenchOptions()
        options.substituteSources = { _ in broken }
        let wrong = try SiliconFixtures.run(Testbench(design, backend: .verilator, options: options), cycles: 300, seed: 7)
        #expect(wrong != rtl)
    }

    /// Simulated activity: every net the run saw annotated; a quiet input switches less.
    @Test func powerFromSimulatedToggles() throws {
        let design = try SiliconFixtures.accumulatorDesign
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nf-power-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var reports: [PowerReport] = []
        for quiet in [false, true] {
            let coverage = directory.appendingPathComponent("toggles-\(quiet).dat")
            let gates = GateLevelSimulation(library: library, flatten: false)
            let tb = try Testbench(design, backend: .verilator, options: gates.testbenchOptions(toggleCoverage: coverage))
            _ = try SiliconFixtures.run(tb, cycles: 400, seed: 3, quiet: quiet)
            _ = try tb.finish()
            reports.append(try gates.power(toggleCoverage: coverage, clock: "clk", periodNanoseconds: 10).report)
        }
        let busy = reports[0], quiet = reports[1]
        #expect(busy.activity == .simulated)
        #expect(busy.annotatedNets > busy.nets / 2)
        // The quiet run toggles only the clock, a floor both runs pay: 0.61 against 0.37 mW
        // since the mapping buffers high-fan-out inputs (0.44 against 0.18 before).
        #expect(busy.switchingWatts > 1.3 * quiet.switchingWatts)
        #expect(busy.totalWatts > 0 && busy.leakageWatts > 0)
    }

    static func swapFirstCell(in sources: [VerilogSource], from: String, to: String) throws -> [VerilogSource] {
        let netlist = try #require(sources.first { $0.fileName == GateLevelNetlist.netlistFileName })
        let range = try #require(netlist.text.range(of: "  \(from) "))
        let text = netlist.text.replacingCharacters(in: range, with: "  \(to) ")
        return sources.map { $0.fileName == netlist.fileName ? VerilogSource(fileName: $0.fileName, text: text) : $0 }
    }

    /// `stat -liberty`'s chip area of a mapped netlist, read back by Yosys itself.
    func yosysChipArea(_ netlist: String, top: String) throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nf-area-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try netlist.write(to: directory.appendingPathComponent("n.v"), atomically: true, encoding: .utf8)
        let lib = StandardCellLibrary.defaultLiberty.path
        let result = try ProcessRunner.run(.yosys, ["-q", "-p", "read_liberty -lib \(lib); read_verilog n.v; hierarchy -top \(top); tee -o stat.txt stat -liberty \(lib) -top \(top)"], in: directory)
        #expect(result.succeeded, "\(result.stderr)")
        let text = try String(contentsOf: directory.appendingPathComponent("stat.txt"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").last { $0.contains("Chip area for") })
        return try #require(Double(line.split(separator: " ").last ?? ""))
    }
}
