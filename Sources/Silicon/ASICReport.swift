import Cosim
import Foundation
import HDL

/// The standard-cell figures of one design: area, static timing (per module, in ns and FO4),
/// and power at the clock. What `normforge synth <circuit> --asic` prints.
public struct ASICReport: Sendable, Codable {
    /// The library the design was mapped to.
    public struct Library: Sendable, Codable, Hashable {
        public var name: String
        public var path: String?
        public var sha256: String
    }

    public var design: String
    public var library: Library
    public var yosysVersion: String
    public var staVersion: String
    /// Merged into one module before mapping (paths cross module boundaries), or each module
    /// mapped once and counted by instances.
    public var flattened: Bool
    /// The clock abc mapped for and OpenSTA timed at, MHz; nil: no target (timed at 10 ns).
    public var targetClockMHz: Double?
    public var area: AreaReport
    public var fo4: FO4Delay
    /// The top (through the whole hierarchy) first, then each distinct module alone.
    public var timing: [ModuleTiming]
    /// The shortest clock period and the highest clock the top closes at.
    public var minimumPeriodNanoseconds: Double?
    public var fmaxMHz: Double?
    /// The top's critical path in FO4 delays of this library.
    public var criticalPathFO4: Double?
    /// Slack at `targetClockMHz`, ns.
    public var slackNanoseconds: Double?
    /// The module alone whose own longest path is the longest: the stage that limits the clock
    /// when paths do not cross its boundary.
    public var limitingModule: String?
    /// Latency of the circuit's unit of work, when the circuit has a closed form, and in ns at
    /// the minimum period.
    public var latencyCycles: Int?
    public var latencyNanoseconds: Double?
    /// Power at the target clock (or at Fmax), from propagated input activity: vectorless, a
    /// model. Simulated activity comes from `normforge cosim <circuit> --gate-level --power`.
    public var power: PowerReport?
    public var seconds: Double
    public var fromCache: Bool

    // Spelled out so the JSON says `fmax_mhz`, not the `fmax_m_hz` of snake-casing `fmaxMHz`.
    enum CodingKeys: String, CodingKey {
        case design, library, yosysVersion, staVersion, flattened, area, fo4, timing
        case targetClockMHz = "target_clock_mhz", fmaxMHz = "fmax_mhz"
        case minimumPeriodNanoseconds, criticalPathFO4, slackNanoseconds, limitingModule
        case latencyCycles, latencyNanoseconds, power, seconds, fromCache
    }

    /// Maps `design` to `library`, times the top and every distinct module, measures the FO4
    /// delay and the power. `clock` names the design's clock port (nil for combinational units).
    public init(_ design: Design, library: LibertyLibrary, clock: String? = "clk", targetClockMHz: Double? = nil,
                flatten: Bool, latencyCycles: Int? = nil, inputActivity: Double = 0.2,
                synthesizer: ASICSynthesizer = ASICSynthesizer(),
                progress: ProgressLine = .standardError) throws {
        let start = Date()
        progress.begin("mapping \(design.top) to \(library.name) with Yosys (cached after)")
        let mapped = try synthesizer.synthesize(design, library: library,
                                                targetPeriodNanoseconds: targetClockMHz.map { 1000 / $0 }, flatten: flatten)
        progress.end()
        let analyzer = StaticTimingAnalyzer(library: library, locator: synthesizer.locator)
        let period = targetClockMHz.map { 1000 / $0 } ?? 10
        progress.begin("timing \(mapped.modules.count) modules of \(design.top) with OpenSTA")
        var timing: [ModuleTiming] = []
        for module in mapped.modules {
            timing.append(try analyzer.analyze(mapped, module: module.name, clock: clock, periodNanoseconds: period))
        }
        progress.end()
        let fo4 = try FO4Delay(analyzer)
        self.fo4 = fo4
        let top = timing.first { $0.module == mapped.top }?.path
        self.design = design.top
        self.library = Library(name: library.name, path: library.path, sha256: library.sha256)
        yosysVersion = mapped.yosysVersion
        staVersion = try ProcessRunner.run(executable: try synthesizer.locator.path(of: .sta), ["-version"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        flattened = flatten
        self.targetClockMHz = targetClockMHz
        area = try AreaReport(mapped, library: library)
        self.timing = timing
        let minimumPeriod = top?.minimumPeriodNanoseconds
        minimumPeriodNanoseconds = minimumPeriod
        fmaxMHz = top.map { 1000 / $0.minimumPeriodNanoseconds }
        criticalPathFO4 = top.map { $0.arrivalNanoseconds / fo4.nanoseconds }
        slackNanoseconds = targetClockMHz == nil ? nil : top?.slackNanoseconds
        limitingModule = timing.filter { $0.module != mapped.top }
            .max { ($0.path?.minimumPeriodNanoseconds ?? 0) < ($1.path?.minimumPeriodNanoseconds ?? 0) }?.module
        self.latencyCycles = latencyCycles
        latencyNanoseconds = latencyCycles.flatMap { cycles in minimumPeriod.map { Double(cycles) * $0 } }
        progress.begin("power of \(design.top) with OpenSTA (propagated input activity \(inputActivity))")
        let powerPeriod = targetClockMHz.map { 1000 / $0 } ?? minimumPeriod ?? period
        power = try PowerAnalyzer(analyzer).analyze(mapped, clock: clock, periodNanoseconds: powerPeriod,
                                                    inputActivity: inputActivity)
        progress.end()
        seconds = Date().timeIntervalSince(start)
        fromCache = mapped.fromCache
    }

    /// The report as text: area, timing, power.
    public var text: String {
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        var lines = [
            "\(design) on \(library.name) (\(flattened ? "flattened" : "hierarchy kept: each module mapped once"))",
            "area                 \(f(area.totalArea, 0)) um^2 = \(f(area.gateEquivalents / 1000, 2)) kGE (NAND2 \(area.nand2Cell) \(f(area.nand2Area, 1)) um^2)",
            "  logic              \(f(area.logicArea, 0)) um^2",
            "  flip-flops         \(f(area.flipFlopArea, 0)) um^2 (\(area.flipFlops) flip-flops)",
            "  memories           \(f(area.memoryArea, 0)) um^2 (\(area.memoryBits) bits as flip-flop arrays: an upper bound)",
            "cells                \(area.cells): " + area.cellsByType.sorted { $0.value > $1.value }.prefix(8)
                .map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            "FO4                  \(f(fo4.picoseconds, 1)) ps (\(fo4.inverter) chains of \(fo4.stages.map(String.init).joined(separator: " and ")) stages, OpenSTA)",
        ]
        if let top = timing.first?.path, let minimumPeriodNanoseconds, let fmaxMHz, let criticalPathFO4 {
            lines.append("critical path        \(f(top.arrivalNanoseconds, 3)) ns = \(f(criticalPathFO4, 1)) FO4, \(top.cells) cells: \(top.startpoint) -> \(top.endpoint)")
            lines.append("minimum period       \(f(minimumPeriodNanoseconds, 3)) ns (Fmax \(f(fmaxMHz, 1)) MHz)")
        } else {
            lines.append("critical path        none (no timed path)")
        }
        if let targetClockMHz, let slackNanoseconds {
            lines.append("slack at \(f(targetClockMHz, 1)) MHz     \(f(slackNanoseconds, 3)) ns (\(slackNanoseconds >= 0 ? "met" : "VIOLATED"))")
        }
        let width = max(36, timing.map(\.module.count).max() ?? 0)
        for module in timing.dropFirst() {
            guard let path = module.path else { continue }
            lines.append("  \(module.module.padding(toLength: width, withPad: " ", startingAt: 0)) \(f(path.arrivalNanoseconds, 3)) ns = "
                         + "\(f(path.arrivalNanoseconds / fo4.nanoseconds, 1)) FO4\(module.module == limitingModule ? "  (limits the clock among modules)" : "")")
        }
        if let latencyCycles, let latencyNanoseconds {
            lines.append("latency              \(latencyCycles) cycles = \(f(latencyNanoseconds, 1)) ns at the minimum period")
        }
        if let power {
            lines.append("power                \(f(power.totalWatts * 1e3, 3)) mW at \(f(power.periodNanoseconds, 2)) ns (internal \(f(power.internalWatts * 1e3, 3)), "
                         + "switching \(f(power.switchingWatts * 1e3, 3)), leakage \(f(power.leakageWatts * 1e6, 3)) uW); "
                         + "\(f(power.picojoulesPerCycle, 2)) pJ/cycle; activity: \(power.activity.rawValue) (\(power.inputActivity) on inputs)")
        }
        lines.append("tools                \(yosysVersion.split(separator: " ").prefix(2).joined(separator: " ")), OpenSTA \(staVersion); "
                     + (fromCache ? "mapping cached" : "") + " \(f(seconds, 1)) s")
        return lines.joined(separator: "\n")
    }
}
