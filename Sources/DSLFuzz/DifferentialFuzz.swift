import Cosim
import Foundation
import Golden
import HDL

/// Many random modules under one top (`FuzzBatch`), so that a batch costs one Verilator build.
public struct FuzzBatch: Sendable {
    public let seed: UInt64
    /// Global index of the first design.
    public let first: Int
    public let designs: [RandomModule]
    public let top: Module

    public init(seed: UInt64, first: Int, count: Int) {
        self.seed = seed
        self.first = first
        let designs = (first..<(first + count)).map { RandomModule(seed: seed, index: $0, name: "fuzz_s\(seed)_\($0)") }
        self.designs = designs
        top = Module("fuzz_batch_s\(seed)_\(first)") {
            for (i, design) in designs.enumerated() {
                FuzzBatch.connect(design.module, as: i)
            }
        }
    }

    /// Instance `d<i>` of `m` with its inputs and outputs as the top's ports `i<i>_...`, `o<i>_...`.
    static func connect(_ m: Module, as i: Int) {
        let u = Instance(m, "d\(i)")
        for port in m.ports {
            let decl = m[signal: port]
            if decl.name == "clk" || decl.name == "rst" { continue }
            if decl.kind == .input {
                u[decl.name] <== Input("i\(i)_\(decl.name)", decl.type)
            } else {
                let y = Output("o\(i)_\(decl.name)", decl.type)
                y <== u[decl.name]
            }
        }
    }

    /// The design (global index) an `o<i>_...` / `i<i>_...` port belongs to.
    func design(ofPort name: String) -> Int? {
        guard let underscore = name.firstIndex(of: "_"), let local = Int(name.dropFirst().prefix(upTo: underscore)) else { return nil }
        return first + local
    }
}

/// What a fuzz run found.
public struct FuzzReport: Sendable, Codable {
    public struct Failure: Sendable, Codable, Hashable {
        /// `disagreement` (a backend differs from the IR simulator), `crash` (elaboration or a
        /// tool failed where it must not), `lint`, `yosys`.
        public var kind: String
        public var design: Int?
        public var backend: String?
        public var cycle: Int?
        public var port: String?
        public var message: String
    }

    public var seed: UInt64
    public var designs: Int
    public var batches: Int
    /// Clock cycles simulated per backend, summed over the designs (each design runs every cycle
    /// of its batch).
    public var cycles: Int
    /// Output comparisons made against the IR simulator, over every backend.
    public var checks: Int
    public var backends: [String]
    public var disagreements: Int
    public var crashes: Int
    public var lintFailures: Int
    public var yosysFailures: Int
    public var failures: [Failure]
    /// Construct -> uses over the run's designs.
    public var constructs: [String: Int]
    public var seconds: Double

    public var passed: Bool { disagreements == 0 && crashes == 0 && lintFailures == 0 && yosysFailures == 0 }
}

/// Runs random designs on the IR simulator, Verilator and Icarus with the same seeded stimulus and
/// compares every output every cycle after warm-up; lints the emitted SystemVerilog with
/// `verilator --lint-only -Wall` and has Yosys read and synthesize it.
public struct DifferentialFuzz: Sendable {
    public var seed: UInt64
    /// Index of the first design of the stream: a shard of a long run is `first..<first+designs`.
    public var first: Int
    public var designs: Int
    public var batchSize: Int
    /// Cycles compared per batch (after the warm-up).
    public var cycles: Int
    /// `.irSim` is the reference and always runs; `.verilator` and `.icarus` are compared with it.
    public var backends: [SimulationBackend]
    public var lint: Bool
    public var yosys: Bool

    public init(seed: UInt64, first: Int = 0, designs: Int, batchSize: Int = 25, cycles: Int = 200,
                backends: [SimulationBackend] = [.irSim, .verilator, .icarus], lint: Bool = true, yosys: Bool = true) {
        self.seed = seed
        self.first = first
        self.designs = designs
        self.batchSize = batchSize
        self.cycles = cycles
        self.backends = backends
        self.lint = lint
        self.yosys = yosys
    }

    public func run(progress: (Int, Int) -> Void = { _, _ in }) -> FuzzReport {
        let start = Date()
        var report = FuzzReport(seed: seed, designs: 0, batches: 0, cycles: 0, checks: 0,
                                backends: backends.map(\.rawValue), disagreements: 0, crashes: 0, lintFailures: 0,
                                yosysFailures: 0, failures: [], constructs: [:], seconds: 0)
        var next = first
        while next < first + designs {
            let batch = FuzzBatch(seed: seed, first: next, count: min(batchSize, first + designs - next))
            run(batch, into: &report)
            next += batch.designs.count
            progress(next - first, designs)
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    func run(_ batch: FuzzBatch, into report: inout FuzzReport) {
        report.batches += 1
        report.designs += batch.designs.count
        for design in batch.designs { report.constructs.merge(design.constructs, uniquingKeysWith: +) }
        let design: Design
        do { design = try Design(top: batch.top) } catch {
            report.crashes += 1
            report.failures.append(.init(kind: "crash", design: batch.first, message: "elaboration of a legal batch failed: \(error)"))
            return
        }
        let files = SystemVerilogEmitter().emit(design)
        if lint || yosys { checkTools(files, top: design.top, batch: batch, into: &report) }
        let warmUp = batch.designs.map(\.warmUpCycles).max() ?? 0
        do {
            let verilog = try VerilogDesign(design)
            let (stimulus, expected) = try reference(verilog, warmUp: warmUp, stream: UInt64(batch.first))
            report.cycles += (warmUp + cycles) * batch.designs.count
            for backend in backends where backend != .irSim {
                let options = TestbenchOptions(maxReports: 20, verilator: VerilatorOptions(optimization: "-O0"))
                let tb = try Testbench(verilog, backend: backend, options: options)
                try drive(tb, stimulus: stimulus, warmUp: warmUp) { cycle in
                    for (port, value) in expected[cycle] { try tb.expect(port, value) }
                }
                report.checks += expected.reduce(0) { $0 + $1.count }
                let outcome: CheckReport
                do { outcome = try tb.finish() } catch let failure as TestbenchFailure { outcome = failure.report }
                report.disagreements += outcome.failed
                for m in outcome.mismatches.prefix(10) {
                    report.failures.append(.init(kind: "disagreement", design: batch.design(ofPort: m.port.name), backend: backend.rawValue,
                                                 cycle: m.cycle, port: m.port.name,
                                                 message: "expected (IR simulator) \(m.expected.hexDigits), got \(m.actualText)"))
                }
            }
        } catch {
            report.crashes += 1
            report.failures.append(.init(kind: "crash", design: batch.first, message: "\(error)"))
        }
    }

    /// The IR simulator's run: the inputs of every cycle and the outputs it computed (compared
    /// from the warm-up on).
    func reference(_ verilog: VerilogDesign, warmUp: Int, stream: UInt64) throws -> (stimulus: [[(String, BitVector)]], expected: [[(String, BitVector)]]) {
        var rng = SeededRandom(seed: seed, stream: 0x5354_494D_0000 ^ stream)
        let inputs = verilog.dataInputs.filter { $0.name != "rst" }
        let stimulus = (0..<(warmUp + cycles)).map { _ in
            inputs.map { port in
                (port.name, BitVector(words: (0..<((port.width + 63) / 64)).map { _ in rng.next() }, width: port.width))
            }
        }
        let tb = try Testbench(verilog, backend: .irSim)
        var expected: [[(String, BitVector)]] = []
        try drive(tb, stimulus: stimulus, warmUp: warmUp) { _ in
            expected.append(try verilog.outputs.map { ($0.name, try tb.peek($0.name)) })
        }
        return (stimulus, expected)
    }

    /// Reset for one cycle, then each cycle: drive the inputs, check (after the warm-up), clock.
    func drive(_ tb: Testbench, stimulus: [[(String, BitVector)]], warmUp: Int, check: (Int) throws -> Void) throws {
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

    func checkTools(_ files: [EmittedFile], top: String, batch: FuzzBatch, into report: inout FuzzReport) {
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
                if !run.succeeded {
                    report.lintFailures += 1
                    report.failures.append(.init(kind: "lint", design: batch.first, message: String(run.stderr.prefix(2000))))
                }
            }
            if yosys {
                let script = "read_verilog -sv \(files.map(\.fileName).joined(separator: " ")); synth -top \(top); check -assert"
                let run = try ProcessRunner.run(.yosys, ["-q", "-p", script], in: dir)
                if !run.succeeded {
                    report.yosysFailures += 1
                    report.failures.append(.init(kind: "yosys", design: batch.first, message: String((run.stderr + run.stdout).suffix(2000))))
                }
            }
        } catch {
            report.crashes += 1
            report.failures.append(.init(kind: "crash", design: batch.first, message: "\(error)"))
        }
    }
}
