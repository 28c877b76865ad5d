import ArgumentParser
import Cosim
import Foundation
import HDL
import Silicon
import Synchronization

/// The flags every `normforge synth` subcommand takes besides its circuit's parameters.
struct SynthesisOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Also run synth_xilinx (Xilinx 7-series LUT/FF/DSP/CARRY4/BRAM).")
    var xilinx = true

    @Flag(inversion: .prefixedNo,
          help: "Flatten before synthesis (paths cross module boundaries; slow for large designs). Default: per circuit.")
    var flatten: Bool?

    @Flag(inversion: .prefixedNo, help: "Reuse Yosys results of unchanged SystemVerilog ($NORMFORGE_CACHE or .build/normforge-cache).")
    var cache = true

    @Flag(help: "Map to standard cells instead (Liberty library, Yosys dfflibmap/abc): area in um^2 and gate equivalents, OpenSTA timing in ns and FO4, power.")
    var asic = false

    @Option(help: "Liberty library of --asic (default: the OSU 0.18 um cells of qflow-tech-osu018).")
    var liberty: String?

    @Option(name: .customLong("clock-mhz"), help: "--asic: target clock (abc maps timing-driven for it; slack reported at it).")
    var clockMHz: Double?

    @Option(name: .customLong("netlist-out"),
            help: "--asic: write the mapped netlist (netlist.v, hierarchical), its cell models (cells.v) and the flat timing netlists (sta-<module>.v) here.")
    var netlistOut: String?

    var runner: YosysRunner {
        YosysRunner(cacheDirectory: cache ? CacheLocation.defaultDirectory : nil)
    }

    /// The standard-cell report of `design` (`--asic`), or nil when not asked for.
    func asicReport(_ design: Design, latencyCycles: Int?) throws -> ASICReport? {
        guard asic else { return nil }
        if let clockMHz, !(clockMHz > 0 && clockMHz.isFinite) { throw BadInput("--clock-mhz must be a positive number") }
        let library = try LibertyLibrary.load(liberty)
        let synthesizer = ASICSynthesizer(cacheDirectory: cache ? CacheLocation.defaultDirectory : nil)
        // Hierarchy kept unless asked: each distinct module mapped once (a flattened 2-lane
        // IterNorm maps in 4.4 minutes).
        let flattened = flatten ?? false
        let report = try ASICReport(design, library: library, clock: try VerilogDesign(design).clock,
                                    targetClockMHz: clockMHz, flatten: flattened, latencyCycles: latencyCycles,
                                    synthesizer: synthesizer)
        if let netlistOut {
            // The mapping the report was made of (a cache hit when the cache is on).
            let mapped = try synthesizer.synthesize(design, library: library, targetPeriodNanoseconds: clockMHz.map { 1000 / $0 },
                                                    flatten: flattened)
            let files = try GateLevelNetlist(mapped, library: library).sources
                + mapped.timingNetlists.map { VerilogSource(fileName: "sta-\($0.key).v", text: $0.value) }
            do {
                try FileManager.default.createDirectory(atPath: netlistOut, withIntermediateDirectories: true)
                for file in files {
                    try file.text.write(toFile: (netlistOut as NSString).appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
                }
            } catch {
                throw BadInput("cannot write the netlist to \(netlistOut): \(error.localizedDescription)")
            }
        }
        return report
    }
}

extension LibertyLibrary {
    /// The library at `path` (default: the OSU 0.18 um cells); one that is missing or does not
    /// parse is bad input.
    static func load(_ path: String?) throws -> LibertyLibrary {
        do {
            return try LibertyLibrary(contentsOf: path.map { URL(fileURLWithPath: $0) } ?? StandardCellLibrary.defaultLiberty)
        } catch let error as LibertyError {
            throw BadInput("\(error)")
        }
    }
}

extension ASICReport {
    /// The report, or its JSON document.
    func print(json: Bool) throws {
        Swift.print(json ? try JSONOutput.text(self) : text)
    }
}

/// Xilinx 7-series resources of one `synth_xilinx` run.
struct XilinxResources: Codable {
    var luts: Int
    /// LUTs used as shift registers (SRL16E/SRLC32E: Yosys maps delay chains there).
    var shiftRegisterLuts: Int
    /// Distributed-RAM primitives (RAM32M, RAM64M, RAM*X1*: up to four LUTs each).
    var lutRams: Int
    var flipFlops: Int
    var dsps: Int
    var carries: Int
    /// RAMB18E1/RAMB36E1.
    var blockRams: Int

    init(_ s: SynthesisStatistics) {
        luts = s.cells(prefix: "LUT")
        shiftRegisterLuts = s.cells(prefix: "SRL")
        lutRams = s.cellsByType.filter { $0.key.hasPrefix("RAM") && !$0.key.hasPrefix("RAMB") }.values.reduce(0, +)
        flipFlops = s.cells(prefix: "FD")
        dsps = s.cells(prefix: "DSP")
        carries = s.cells(prefix: "CARRY")
        blockRams = s.cells(prefix: "RAMB")
    }
}

/// The longest path of a design against a single-cycle multiplier's (the pipelining rule:
/// one floating-point operation per cycle, at most `limit` times the multiplier's depth; no
/// limit for a reference shown for comparison only).
struct PathBudget: Codable {
    var multiplier: String
    var multiplierPathCells: Int
    var ratio: Double
    var limit: Double?
}

/// What every `normforge synth` subcommand reports; `--json` prints it as is.
struct SynthesisReport: Codable {
    var design: String
    /// Flattened: one netlist, paths cross module boundaries. Kept: each module synthesized once,
    /// cells summed over its instances, the longest path is the longest within one module.
    var flattened: Bool
    /// Generic gates and flip-flops; memories are kept as one `$mem_v2` cell each (SRAM macros),
    /// not mapped to flip-flops.
    var genericCells: Int
    var genericFlipFlops: Int
    var memories: Int
    var memoryBits: Int
    /// `ltp -noff` after generic `synth`: the longest topological path in cells.
    var longestPathCells: Int
    var xilinx: XilinxResources?
    /// Latency of one block / tensor / vector (IterNorm: at d_max), when the circuit has a closed form.
    var latencyCycles: Int?
    /// Sustained rate, when the circuit has a closed form.
    var elementsPerCycle: Double?
    /// Paths against single-cycle multipliers (IterNorm: of the arithmetic and of the I/O format).
    var pathBudgets: [PathBudget] = []
    /// Wall time of this command's Yosys work; `fromCache` when every figure was cached.
    var seconds: Double
    var fromCache: Bool

    /// Synthesizes `design` with generic `synth` (and `synth_xilinx` unless turned off).
    init(_ design: Design, options: SynthesisOptions, flattenByDefault: Bool, latencyCycles: Int?,
         elementsPerCycle: Double?) throws {
        let start = Date()
        let runner = options.runner
        let flatten = options.flatten ?? flattenByDefault
        // The two flows are independent Yosys processes: run them side by side.
        let generic: @Sendable () throws -> SynthesisStatistics = {
            try runner.synthesize(design, flatten: flatten, longestPath: true, keepMemories: true)
        }
        let mapping: @Sendable () throws -> SynthesisStatistics = { try runner.synthesize(design, flow: .xilinx, flatten: flatten) }
        // The Xilinx flow on a thread of its own (not a dispatch worker: the runner blocks on its
        // process and pipes), the generic flow on this one.
        let mappedOutcome = Mutex<Result<SynthesisStatistics, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        if options.xilinx {
            Thread {
                let outcome = Result { try mapping() }
                mappedOutcome.withLock { $0 = outcome }
                done.signal()
            }.start()
        }
        let progress = ProgressLine.standardError
        progress.begin("synthesizing \(design.top) with Yosys (generic\(options.xilinx ? " and Xilinx 7-series" : ""), cached after)")
        let genericOutcome = Result { try generic() }
        if options.xilinx { done.wait() }
        progress.end()
        let genericStatistics = try genericOutcome.get()
        let mapped = try mappedOutcome.withLock { $0 }.map { try $0.get() }
        self.design = design.top
        flattened = flatten
        genericCells = genericStatistics.cells
        genericFlipFlops = genericStatistics.cellsByType.filter { $0.key.contains("DFF") }.values.reduce(0, +)
        memories = genericStatistics.cells(prefix: "$mem")
        memoryBits = design.memoryBits
        longestPathCells = genericStatistics.longestPath ?? 0
        xilinx = mapped.map(XilinxResources.init)
        self.latencyCycles = latencyCycles
        self.elementsPerCycle = elementsPerCycle
        fromCache = genericStatistics.fromCache && (mapped?.fromCache ?? true)
        seconds = Date().timeIntervalSince(start)
    }

    /// Adds the path of `multiplier` (synthesized flat, single-cycle) as a budget reference.
    mutating func compare(with multiplier: Module, limit: Double?, options: SynthesisOptions) throws {
        let reference = try options.runner.synthesize(try Design(top: multiplier), flatten: true, longestPath: true)
        let depth = reference.longestPath ?? 0
        fromCache = fromCache && reference.fromCache
        pathBudgets.append(PathBudget(multiplier: multiplier.name, multiplierPathCells: depth,
                                      ratio: depth > 0 ? Double(longestPathCells) / Double(depth) : 0, limit: limit))
    }

    /// The report, or its JSON document.
    func print(json: Bool) throws {
        guard !json else { return Swift.print(try JSONOutput.text(self)) }
        let hierarchy = flattened ? "flattened" : "hierarchy kept (path within one module)"
        var lines = [
            design,
            "generic cells        \(genericCells) (\(genericFlipFlops) flip-flops, \(memories) memories of \(memoryBits) bits in all), \(hierarchy)",
            "longest path         \(longestPathCells) cells (ltp -noff)",
        ]
        for b in pathBudgets {
            let limit = b.limit.map { String(format: "limit %.1fx", $0) } ?? "for comparison"
            lines.append("  vs \(b.multiplier.padding(toLength: 16, withPad: " ", startingAt: 0)) \(b.multiplierPathCells) cells: "
                         + String(format: "%.2fx", b.ratio) + " (\(limit))")
        }
        if let x = xilinx {
            lines.append("synth_xilinx         LUT \(x.luts) (+\(x.shiftRegisterLuts) SRL, +\(x.lutRams) LUTRAM)  FF \(x.flipFlops)  "
                         + "DSP \(x.dsps)  CARRY4 \(x.carries)  RAMB \(x.blockRams)")
        }
        if let latencyCycles { lines.append("latency              \(latencyCycles) cycles") }
        if let elementsPerCycle { lines.append(String(format: "throughput           %.2f elements/cycle", elementsPerCycle)) }
        lines.append(fromCache ? "yosys                cached" : String(format: "yosys                %.1f s", seconds))
        Swift.print(lines.joined(separator: "\n"))
    }
}
