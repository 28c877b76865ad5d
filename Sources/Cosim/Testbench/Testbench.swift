import Foundation
import HDL

/// One test, any backend: poke inputs, peek and expect outputs, step the clock, reset.
///
/// ```swift
/// let tb = try Testbench(VerilogDesign(Design(top: Examples.counter(width: 8))), backend: .verilator)
/// try tb.reset()
/// try tb.poke("enable", 1)
/// try tb.step(3)
/// try tb.expect("count", 3)
/// try tb.finish()                       // throws TestbenchFailure with the decoded report
/// ```
///
/// Timing: `poke` changes an input now; `peek`/`expect` see combinational logic settled with the
/// current inputs; `step(n)` runs `n` rising clock edges. `expect` records a mismatch and goes on;
/// `finish` reports (and on `.icarus` first replays the whole test in Icarus: the test runs on
/// the IR simulator or Verilator to decide its stimulus, and Icarus checks every `expect` and
/// every handshake a stream driver observed). Not thread-safe: one testbench per test.
public final class Testbench {
    public let design: VerilogDesign
    public let backend: SimulationBackend
    public let options: TestbenchOptions
    /// The simulator that runs the test (for `.icarus`, the one that records it).
    private let simulator: any CycleSimulator
    private var recording: TestVectors?
    /// Whether the last recorded vector can still take checks (no poke or step since).
    private var recordingOpen = false
    private var inputValues: [BitVector]
    private var settled = true
    private var finished = false

    /// Rising clock edges so far.
    public private(set) var cycle = 0
    private var checks = 0
    /// The cycle of every `expect` so far, in order (nondecreasing): check `i` ran at
    /// `checkCycles[i]`. Lets a driver map a mismatch (which carries its cycle on every backend)
    /// back to the check, and so to the stimulus item, that made it.
    public private(set) var checkCycles: [Int] = []
    private var passed = 0
    /// Checks that failed so far (on `.icarus` only known after `finish`: always 0 before).
    public private(set) var failed = 0
    private var mismatches: [Mismatch] = []

    /// A testbench for `design` on `backend`; builds (or fetches from the cache) what the backend
    /// needs. `.irSim` needs a design made from HDL (`VerilogDesign(design)`).
    public init(_ design: VerilogDesign, backend: SimulationBackend, options: TestbenchOptions = TestbenchOptions()) throws {
        if options.substituteSources != nil && backend == .irSim {
            throw CosimError.unsupported("the IR simulator runs the HDL design only; simulate a netlist on verilator or icarus")
        }
        let design = try options.substituteSources.map { try design.replacingSources(with: $0(design)) } ?? design
        self.design = design
        self.backend = backend
        self.options = options
        inputValues = design.ports.map { BitVector(width: $0.width) }
        if options.coverageFile != nil && backend != .verilator {
            throw CosimError.unsupported("coverage needs the verilator backend")
        }
        switch backend {
        case .irSim:
            let adapter = try Self.irSimulator(design)
            if let vcd = options.vcd { try adapter.simulator.startTrace(path: vcd.path) }
            simulator = adapter
        case .verilator:
            var verilatorOptions = options.verilator
            if options.vcd != nil { verilatorOptions.trace = true }
            if options.coverageFile != nil { verilatorOptions.coverage = true }
            let model = try VerilatorModel(design, options: verilatorOptions, cache: options.cache)
            if let vcd = options.vcd { try model.startTrace(path: vcd.path) }
            simulator = model
        case .icarus:
            simulator = design.hdl != nil
                ? try Self.irSimulator(design)
                : try VerilatorModel(design, options: options.verilator, cache: options.cache)
            recording = TestVectors(design: design)
        }
    }

    /// A testbench for an elaborated HDL design (emitted with default options).
    public convenience init(_ design: Design, backend: SimulationBackend, options: TestbenchOptions = TestbenchOptions()) throws {
        try self.init(VerilogDesign(design), backend: backend, options: options)
    }

    private static func irSimulator(_ design: VerilogDesign) throws -> IRSimulatorAdapter {
        guard let hdl = design.hdl else {
            throw CosimError.unsupported("the IR simulator needs a design built from HDL; \(design.topModule) is SystemVerilog only")
        }
        return try IRSimulatorAdapter(design: design, hdl: hdl)
    }

    // MARK: Driving

    /// Drives an input port (not the clock).
    public func poke(_ port: String, _ value: some PortValueConvertible) throws {
        let index = try inputIndex(port)
        let bits = try design.ports[index].value(value)
        simulator.write(port: index, bits)
        inputValues[index] = bits
        settled = false
        recordingOpen = false
    }

    /// The current value of a port, combinational logic settled.
    public func peek(_ port: String) throws -> BitVector {
        let index = try design.portIndex(named: port)
        settle()
        return simulator.read(port: index)
    }

    /// The current value of a port of up to 64 bits.
    public func peekUInt64(_ port: String) throws -> UInt64 { try peek(port).low64 }

    /// Checks a port's current value; a mismatch is recorded (with vector index = check number
    /// and the current cycle) and reported by `finish`.
    public func expect(_ port: String, _ value: some PortValueConvertible) throws {
        let index = try design.portIndex(named: port)
        let expected = try design.ports[index].value(value)
        settle()
        let actual = simulator.read(port: index)
        if backend == .icarus {
            record(expected, for: index)
        } else if actual == expected {
            passed += 1
        } else {
            failed += 1
            if mismatches.count < options.maxReports {
                mismatches.append(Mismatch(vector: checks, cycle: cycle, port: design.ports[index],
                                           expected: expected, actual: actual))
            }
        }
        checks += 1
        checkCycles.append(cycle)
    }

    /// Peeks a control signal whose value steers the test (a handshake): on `.icarus` the
    /// observed value also becomes a check, so the replay proves Icarus agrees.
    public func observe(_ port: String) throws -> BitVector {
        let value = try peek(port)
        if backend == .icarus { record(value, for: try design.portIndex(named: port)) }
        return value
    }

    /// Runs `cycles` rising clock edges.
    public func step(_ cycles: Int = 1) throws {
        guard cycles >= 0 else { throw CosimError.badPortAccess("step: cycles must be >= 0, got \(cycles)") }
        guard design.clock != nil else { throw CosimError.unsupported("\(design.topModule) has no clock to step") }
        if cycles == 0 { return }
        if recording != nil {
            // Mutated in place through the optional: a copy would make recording quadratic.
            if !recordingOpen { recording?.appendHold(inputs: dataInputValues()) }
            recording?.addCyclesToLast(cycles)
            recordingOpen = false
        }
        simulator.step(cycles)
        cycle += cycles
        settled = true
        try simulator.checkError()
    }

    /// Holds the reset asserted for `cycles` edges, then releases it.
    public func reset(cycles: Int = 1) throws {
        guard let reset = design.reset else { throw CosimError.unsupported("\(design.topModule) has no reset port") }
        try poke(reset.port, reset.assertedValue)
        try step(cycles)
        try poke(reset.port, reset.assertedValue ^ 1)
    }

    /// Ends the test: on `.icarus` replays it in Icarus. Returns the report; throws
    /// `TestbenchFailure` (whose description is the decoded report) if any check failed.
    @discardableResult
    public func finish() throws -> CheckReport {
        guard !finished else { throw CosimError.unsupported("finish() was already called") }
        finished = true
        try simulator.checkError()
        let report: CheckReport
        if let recording {
            let run = try IcarusRunner().run(recording, in: options.icarusDirectory, maxReports: options.maxReports,
                                             vcd: options.vcd)
            report = run.report
        } else {
            report = CheckReport(backend: backend.rawValue, design: design.topModule, passed: passed, failed: failed,
                                 mismatches: mismatches)
        }
        if let coverage = options.coverageFile, let model = simulator as? VerilatorModel {
            try model.writeCoverage(path: coverage.path)
        }
        if options.vcd != nil {
            (simulator as? VerilatorModel)?.flushTrace()
            (simulator as? IRSimulatorAdapter)?.simulator.flushTrace()
        }
        guard report.succeeded else { throw TestbenchFailure(report: report) }
        return report
    }

    // MARK: Internals

    private func settle() {
        if !settled {
            simulator.settle()
            settled = true
        }
    }

    private func inputIndex(_ port: String) throws -> Int {
        let index = try design.portIndex(named: port)
        let description = design.ports[index]
        guard description.direction == .input else {
            throw CosimError.badPortAccess("\(design.topModule).\(port) is an output; poke drives inputs")
        }
        guard description.name != design.clock else {
            throw CosimError.badPortAccess("\(design.topModule).\(port) is the clock; use step()")
        }
        return index
    }

    private func dataInputValues() -> [BitVector] {
        design.ports.indices.filter { design.ports[$0].direction == .input && design.ports[$0].name != design.clock }
            .map { inputValues[$0] }
    }

    /// Adds a check of port `index` to the recorded vectors (outputs only: inputs need no check).
    private func record(_ value: BitVector, for index: Int) {
        guard let outputs = recording?.outputs,
              let slot = outputs.firstIndex(where: { $0.name == design.ports[index].name }) else { return }
        if !recordingOpen { recording?.appendHold(inputs: dataInputValues()) }
        if recording?.expectInLast(slot: slot, value) == false {
            recording?.appendHold(inputs: dataInputValues())
            _ = recording?.expectInLast(slot: slot, value)
        }
        recordingOpen = true
    }
}
