import Cosim
import Foundation
import Golden
import HDL

/// What a fuzzed design's outputs are compared on; the IR simulator is the reference.
public enum FuzzSimulator: String, Sendable, CaseIterable, Codable {
    /// Verilator, in-process.
    case verilator
    /// Icarus Verilog (`-g2012`).
    case icarus
    /// Yosys's synthesized netlist (`synth`, then `write_verilog`) simulated on Verilator: a
    /// check of Yosys's front end and optimizations on the emitted SystemVerilog.
    case yosysNetlist = "yosys-netlist"
}

/// How far Yosys takes every batch: `coarse` is word-level synthesis (`synth`'s coarse stage:
/// `proc`, `opt`, `fsm`, `wreduce`, `share`, `memory`; `YosysNetlist.script`), `full`
/// is `synth` with technology mapping and ABC (about 10x slower), `off` skips Yosys (and the
/// netlist simulation).
public enum YosysSynthesis: String, Sendable, CaseIterable, Codable {
    case off, coarse, full
}

/// Runs random designs on the IR simulator, Verilator, Icarus and Yosys's netlist with the same
/// seeded stimulus and compares every output every cycle after warm-up; checks the emitted
/// SystemVerilog with `verilator --lint-only -Wall`, slang and Yosys synthesis; and turns each
/// design into an illegal mutant whose diagnostic must be exactly the expected one.
public struct DifferentialFuzz: Sendable {
    public var seed: UInt64
    /// Index of the first design of the stream: a shard of a long run is `first..<first+designs`.
    public var first: Int
    public var designs: Int
    public var batchSize: Int
    /// Cycles compared per batch (after the warm-up).
    public var cycles: Int
    public var simulators: [FuzzSimulator]
    public var lint: Bool
    public var slang: Bool
    public var yosys: YosysSynthesis
    public var mutants: Bool
    /// Shrink up to this many failing designs to a minimal reproduction.
    public var shrinkLimit: Int
    /// Extra `verilator` flags for the Verilator and netlist builds (to re-enable an optimization
    /// `ToolWorkarounds` turns off, for example).
    public var verilatorFlags: [String] = []

    public init(seed: UInt64, first: Int = 0, designs: Int, batchSize: Int = 25, cycles: Int = 200,
                simulators: [FuzzSimulator] = FuzzSimulator.allCases, lint: Bool = true, slang: Bool = true,
                yosys: YosysSynthesis = .coarse, mutants: Bool = true, shrinkLimit: Int = 1) {
        self.seed = seed
        self.first = first
        self.designs = designs
        self.batchSize = batchSize
        self.cycles = cycles
        self.simulators = yosys == .off ? simulators.filter { $0 != .yosysNetlist } : simulators
        self.lint = lint
        self.slang = slang
        self.yosys = yosys
        self.mutants = mutants
        self.shrinkLimit = shrinkLimit
    }

    public func run(progress: (Int, Int) -> Void = { _, _ in }) -> FuzzReport {
        let start = Date()
        var report = FuzzReport(seed: seed, first: first, backends: ["ir-sim"] + simulators.map(\.rawValue))
        var next = first
        while next < first + designs {
            let batch = FuzzBatch(seed: seed, first: next, count: min(batchSize, first + designs - next))
            run(batch, into: &report)
            next += batch.designs.count
            progress(next - first, designs)
        }
        shrinkFailures(in: &report)
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    func run(_ batch: FuzzBatch, into report: inout FuzzReport) {
        var clock = Date()
        var stages: [String: Double] = [:]
        func lap(_ stage: String) {
            stages[stage, default: 0] += Date().timeIntervalSince(clock)
            clock = Date()
        }
        defer { report.stageSeconds.merge(stages, uniquingKeysWith: +) }
        report.batches += 1
        report.designs += batch.designs.count
        for design in batch.designs { report.constructs.merge(design.constructs, uniquingKeysWith: +) }
        if mutants { checkMutants(batch, into: &report) }
        lap("generate + mutants")
        let design: Design
        do { design = try Design(top: batch.top) } catch {
            report.add(.init(kind: .crash, design: batch.first, message: "elaboration of a legal batch failed: \(error)"))
            return
        }
        let files = SystemVerilogEmitter().emit(design)
        lap("elaborate + emit")
        let netlist = checkTools(files, top: design.top, batch: batch, into: &report, lap: lap)
        let warmUp = batch.designs.map(\.warmUpCycles).max() ?? 0
        do {
            let verilog = try VerilogDesign(design)
            let run = try ReferenceRun(verilog, seed: seed, stream: UInt64(batch.first), warmUp: warmUp, cycles: cycles)
            lap("ir-sim")
            report.cycles += run.stimulus.count * batch.designs.count
            for simulator in simulators {
                let target: VerilogDesign
                switch simulator {
                case .verilator, .icarus: target = verilog
                case .yosysNetlist:
                    guard let netlist else { continue }
                    target = try YosysNetlist.design(netlist, like: verilog)
                }
                let outcome = try run.compare(target, on: simulator, verilatorFlags: verilatorFlags)
                lap(simulator.rawValue)
                report.checks += run.checks
                report.disagreements += outcome.failed
                for m in outcome.mismatches.prefix(10) {
                    report.add(.init(kind: .disagreement, design: batch.design(ofPort: m.port.name), backend: simulator.rawValue,
                                     cycle: m.cycle, port: m.port.name,
                                     message: "expected (IR simulator) \(m.expected.hexDigits), got \(m.actualText)"))
                }
            }
        } catch {
            report.add(.init(kind: .crash, design: batch.first, message: "\(error)"))
        }
    }

    /// One mutant per design, the kind cycling with the design index: its diagnostics must be
    /// exactly the one the mutation implies.
    func checkMutants(_ batch: FuzzBatch, into report: inout FuzzReport) {
        for (offset, design) in batch.designs.enumerated() {
            let index = batch.first + offset
            var rng = SeededRandom(seed: seed, stream: 0x4D55_5400_0000 ^ UInt64(index))
            guard let mutant = Mutant(design.module, kind: MutationKind.allCases[index % MutationKind.allCases.count], rng: &rng) else { continue }
            report.mutants += 1
            report.mutantKinds[mutant.kind.rawValue, default: 0] += 1
            if let problem = mutant.check() {
                report.add(.init(kind: .diagnosticMismatch, design: index, message: "\(mutant.kind.rawValue) mutant: \(problem)"))
            }
        }
    }

    /// Lint, slang and Yosys on the emitted files; returns Yosys's netlist when it synthesized.
    func checkTools(_ files: [EmittedFile], top: String, batch: FuzzBatch, into report: inout FuzzReport,
                    lap: (String) -> Void) -> String? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for file in files { try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8) }
            if lint {
                // Unused values and comparisons that fold to a constant (`x < 0` unsigned) are the
                // random design's, not the emitter's: every other -Wall rule must hold.
                let run = try ProcessRunner.run(.verilator, ["--lint-only", "-Wall", "-Wno-UNUSEDSIGNAL", "-Wno-UNSIGNED",
                                                             "-Wno-CMPCONST", "-y", ".", "\(top).sv"], in: dir)
                if !run.succeeded { report.add(.init(kind: .lint, design: batch.first, message: String(run.stderr.prefix(2000)))) }
                lap("lint")
            }
            if slang {
                let outcome = try SlangCheck.run(files: files.map(\.fileName), top: top, in: dir)
                if !outcome.accepted {
                    report.add(.init(kind: .slang, design: batch.first, message: String(outcome.errors.prefix(2000))))
                }
                lap("slang")
            }
            guard yosys != .off else { return nil }
            defer { lap("yosys") }
            do {
                return try YosysNetlist.run(files: files.map(\.fileName), top: top, synthesis: yosys, in: dir)
            } catch let failure as YosysFailed {
                report.add(.init(kind: .yosys, design: batch.first, message: String(failure.output.suffix(2000))))
                return nil
            }
        } catch {
            report.add(.init(kind: .crash, design: batch.first, message: "\(error)"))
            return nil
        }
    }
}

extension DifferentialFuzz {
    /// Shrinks the first `shrinkLimit` designs that disagreed (one per design and simulator).
    func shrinkFailures(in report: inout FuzzReport) {
        var seen = Set<String>()
        for failure in report.failures where failure.kind == .disagreement && report.reproductions.count < shrinkLimit {
            guard let index = failure.design, let backend = failure.backend, let simulator = FuzzSimulator(rawValue: backend),
                  let topPort = failure.port, let port = FuzzBatch.designPort(ofPort: topPort),
                  seen.insert("\(index) \(backend)").inserted else { continue }
            let design = RandomModule(seed: seed, index: index)
            var shrinker = Shrinker(simulator: simulator, port: port, seed: seed, warmUp: design.warmUpCycles, cycles: cycles)
            shrinker.verilatorFlags = verilatorFlags
            guard let (module, mismatch) = shrinker.shrink(design.module), let shrunk = try? Design(top: module) else { continue }
            let size = { (m: Module) in m.nodes.count + Mutant.assignments(in: m.statements).count }
            report.reproductions.append(.init(
                design: index, backend: backend, port: port, cycle: mismatch.cycle, expected: mismatch.expected.hexDigits,
                actual: mismatch.actualText, sizeBefore: size(design.module), sizeAfter: size(module),
                dslSource: (module.submodules + [module]).map { DSLSourcePrinter($0).text }.joined(separator: "\n"),
                systemVerilog: SystemVerilogEmitter().emitSingleText(shrunk)))
        }
    }
}

/// The IR simulator's run of a design on seeded random inputs: the inputs of every cycle and
/// the outputs it computed, compared from the warm-up on.
struct ReferenceRun {
    let stimulus: [[(String, BitVector)]]
    let expected: [[(String, BitVector)]]
    let warmUp: Int
    var checks: Int { expected.reduce(0) { $0 + $1.count } }

    init(_ verilog: VerilogDesign, seed: UInt64, stream: UInt64, warmUp: Int, cycles: Int) throws {
        var rng = SeededRandom(seed: seed, stream: 0x5354_494D_0000 ^ stream)
        let inputs = verilog.dataInputs.filter { $0.name != "rst" }
        stimulus = (0..<(warmUp + cycles)).map { _ in
            inputs.map { port in
                (port.name, BitVector(words: (0..<((port.width + 63) / 64)).map { _ in rng.next() }, width: port.width))
            }
        }
        self.warmUp = warmUp
        let tb = try Testbench(verilog, backend: .irSim)
        var expected: [[(String, BitVector)]] = []
        try Self.drive(tb, stimulus: stimulus, warmUp: warmUp) { _ in
            expected.append(try verilog.outputs.map { ($0.name, try tb.peek($0.name)) })
        }
        self.expected = expected
    }

    /// `target` on `simulator` against the reference, every output every cycle after warm-up.
    func compare(_ target: VerilogDesign, on simulator: FuzzSimulator, verilatorFlags: [String] = []) throws -> CheckReport {
        let backend: SimulationBackend = simulator == .icarus ? .icarus : .verilator
        let options = TestbenchOptions(maxReports: 20, verilator: VerilatorOptions(optimization: "-O0", extraVerilatorFlags: verilatorFlags))
        let tb = try Testbench(target, backend: backend, options: options)
        try Self.drive(tb, stimulus: stimulus, warmUp: warmUp) { cycle in
            for (port, value) in expected[cycle] { try tb.expect(port, value) }
        }
        do { return try tb.finish() } catch let failure as TestbenchFailure { return failure.report }
    }

    /// Reset for one cycle, then each cycle: drive the inputs, check (after the warm-up), clock.
    static func drive(_ tb: Testbench, stimulus: [[(String, BitVector)]], warmUp: Int, check: (Int) throws -> Void) throws {
        let hasReset = tb.design.ports.contains { $0.name == "rst" }
        if hasReset { try tb.poke("rst", 1) }
        for (name, value) in stimulus[0] { try tb.poke(name, value) }
        try tb.step()
        if hasReset { try tb.poke("rst", 0) }
        for (cycle, inputs) in stimulus.enumerated() {
            for (name, value) in inputs { try tb.poke(name, value) }
            if cycle >= warmUp { try check(cycle - warmUp) }
            try tb.step()
        }
    }
}
