/// A cycle-based simulator of an elaborated `Design`, with the semantics of the emitted
/// SystemVerilog: every operator computes at its node's width (operands extended by their own
/// signedness, results wrapped), registers update together on the rising clock edge with the
/// synchronous active-high `rst` and their enables, memories write and read synchronously
/// (a read in the same cycle as a write to that address sees the old word), and combinational
/// logic settles after every input change and every edge. All state starts at zero (as in
/// Verilator; Icarus starts at x, so compare after reset). Out-of-range memory addresses read 0
/// and ignore writes.
///
/// ```swift
/// let sim = try IRSimulator(Design(top: Examples.counter(width: 8)))
/// try sim.poke("rst", 1); sim.step(); try sim.poke("rst", 0)
/// try sim.poke("enable", 1); sim.step(3)
/// try sim.peek("count")                      // 8'h03
/// ```
/// Not thread-safe: one simulator per test.
public final class IRSimulator {
    public let design: Design
    private var program: SimulationProgram
    private let arena: UnsafeMutablePointer<UInt64>
    private let memory: UnsafeMutablePointer<UInt64>
    private let scratch: UnsafeMutablePointer<UInt64>
    private let scratchWords: Int
    private var changed = false
    /// Top-level port name -> signal slot.
    private let portSlots: [String: Int]
    /// Top-level signal name -> slot, for peeking internal signals.
    private let signalSlots: [String: Int]
    /// Rising clock edges simulated so far.
    public private(set) var cycle = 0
    private var trace: VCDWriter?

    /// Prepares `design` for simulation and settles it with all inputs at zero.
    public init(_ design: Design) throws {
        self.design = design
        program = SimulationProgram(design)
        arena = .allocate(capacity: max(1, program.arenaWords))
        arena.initialize(repeating: 0, count: max(1, program.arenaWords))
        memory = .allocate(capacity: max(1, program.memoryWords))
        memory.initialize(repeating: 0, count: max(1, program.memoryWords))
        scratchWords = program.maxWords + 1
        scratch = .allocate(capacity: 4 * scratchWords)
        scratch.initialize(repeating: 0, count: 4 * scratchWords)
        let top = program.instances[0]
        var ports: [String: Int] = [:]
        for id in top.module.ports { ports[top.module[signal: id].name] = top.signalSlots[id.index] }
        portSlots = ports
        var signals: [String: Int] = [:]
        for (index, decl) in top.module.signals.enumerated() { signals[decl.name] = top.signalSlots[index] }
        signalSlots = signals
        settle()
    }

    deinit {
        arena.deallocate()
        memory.deallocate()
        scratch.deallocate()
    }

    // MARK: Public API

    /// Drives a top-level input by name.
    public func poke(_ port: String, _ value: BitVector) throws {
        guard let slot = portSlots[port], let id = design.topModule.ports.first(where: { design.topModule[signal: $0].name == port }),
              design.topModule[signal: id].kind == .input else {
            throw SimulationError("\(design.top) has no input '\(port)'")
        }
        write(slot: slot, value)
    }

    /// Drives a top-level input by name with an integer (two's complement when negative).
    public func poke(_ port: String, _ value: Int) throws {
        guard let slot = portSlots[port] else { throw SimulationError("\(design.top) has no input '\(port)'") }
        try poke(port, BitVector(value, width: program.slots[slot].width))
    }

    /// The settled value of a top-level port or signal (by its HDL name).
    public func peek(_ name: String) throws -> BitVector {
        guard let slot = portSlots[name] ?? signalSlots[name] else {
            throw SimulationError("\(design.top) has no signal '\(name)'")
        }
        settleIfNeeded()
        return read(slot: slot)
    }

    /// Runs `cycles` rising clock edges (settling before and after each).
    public func step(_ cycles: Int = 1) {
        for _ in 0..<max(0, cycles) { clockEdge() }
    }

    /// Starts writing every signal of the top module to a VCD file at `path`: one sample per
    /// clock edge (time 10 ns per cycle, the clock drawn high at the edge and low 5 ns later).
    public func startTrace(path: String) throws {
        let top = program.instances[0]
        trace = try VCDWriter(path: path, top: design.top,
                              signals: top.module.signals.map { ($0.name, $0.type.width) })
        settleIfNeeded()
        dumpTrace(time: 0)
    }

    /// Writes buffered waveform data to the file.
    public func flushTrace() { trace?.flush() }

    private func dumpTrace(time: Int) {
        guard let trace else { return }
        let top = program.instances[0]
        var values = top.signalSlots.map { read(slot: $0) }
        if let clock = top.module.clock {
            trace.dump(time: time, values: values)
            values[clock.index] = BitVector(0, width: 1)
            trace.dump(time: time + 5, values: values)
        } else {
            trace.dump(time: time, values: values)
        }
    }

    /// Settles combinational logic (done automatically by `peek` and `step`).
    public func settle() {
        var passes = 0
        repeat {
            changed = false
            for unit in program.combinational { run(unit) }
            passes += 1
        } while program.needsFixpoint && changed && passes <= program.combinational.count + 1
        dirty = false
    }

    private var dirty = false

    // MARK: Port access by top-level port index (for testbenches)

    /// Writes the top module's port number `index` (in `design.topModule.ports` order).
    public func write(port index: Int, _ value: BitVector) {
        write(slot: program.instances[0].signalSlots[design.topModule.ports[index].index], value)
    }

    /// Reads the top module's port number `index`, settling first if inputs changed.
    public func read(port index: Int) -> BitVector {
        settleIfNeeded()
        return read(slot: program.instances[0].signalSlots[design.topModule.ports[index].index])
    }

    // MARK: Slots

    private func write(slot: Int, _ value: BitVector) {
        let s = program.slots[slot]
        let words = WordArithmetic.wordCount(s.width)
        for i in 0..<words { arena[s.offset + i] = i < value.words.count ? value.words[i] : 0 }
        WordArithmetic.maskTop(arena + s.offset, width: s.width)
        dirty = true
    }

    private func read(slot: Int) -> BitVector {
        let s = program.slots[slot]
        return BitVector(words: Array(UnsafeBufferPointer(start: arena + s.offset, count: WordArithmetic.wordCount(s.width))),
                         width: s.width)
    }

    private func settleIfNeeded() { if dirty { settle() } }

    // MARK: Clock edge

    private func clockEdge() {
        settleIfNeeded()
        for register in program.registers { copy(from: register.slot, to: register.next) }
        var reads: [(memory: Int, address: Int, data: Int)] = []
        var writes: [(memory: Int, address: Int, data: [UInt64])] = []
        for (instance, nodes) in program.enableNodes {
            for node in nodes { evaluate(node, in: instance) }
        }
        for unit in program.sequential {
            for node in unit.nodes { evaluate(node, in: unit.instance) }
            execute(unit.statements, instance: unit.instance, sequential: true, reads: &reads, writes: &writes)
        }
        for register in program.registers {
            if let reset = register.reset, let resetSlot = register.resetSlot, arena[program.slots[resetSlot].offset] & 1 == 1 {
                write(slot: register.slot, reset)
            } else if let enable = register.enableSlot, arena[program.slots[enable].offset] & 1 == 0 {
                continue
            } else {
                copy(from: register.next, to: register.slot)
            }
        }
        // Reads see the words as they were before this edge's writes.
        for read in reads {
            let storage = program.memories[read.memory], target = program.slots[read.data]
            for i in 0..<storage.wordsPerElement {
                arena[target.offset + i] = read.address < storage.depth
                    ? memory[storage.offset + read.address * storage.wordsPerElement + i] : 0
            }
        }
        for write in writes where write.address < program.memories[write.memory].depth {
            let storage = program.memories[write.memory]
            for i in 0..<storage.wordsPerElement {
                memory[storage.offset + write.address * storage.wordsPerElement + i] = write.data[i]
            }
        }
        cycle += 1
        settle()
        if trace != nil {
            if let clock = program.instances[0].module.clock {
                arena[program.slots[program.instances[0].signalSlots[clock.index]].offset] = 1
            }
            dumpTrace(time: 10 * cycle)
        }
    }

    private func copy(from source: Int, to target: Int) {
        let s = program.slots[source], t = program.slots[target]
        for i in 0..<WordArithmetic.wordCount(s.width) { arena[t.offset + i] = arena[s.offset + i] }
    }

    // MARK: Statements

    private func run(_ unit: SimulationProgram.CombinationalUnit) {
        for node in unit.nodes { evaluate(node, in: unit.instance) }
        var reads: [(memory: Int, address: Int, data: Int)] = []
        var writes: [(memory: Int, address: Int, data: [UInt64])] = []
        execute(unit.statements, instance: unit.instance, sequential: false, reads: &reads, writes: &writes)
    }

    private func nodeSlot(_ id: ExprID, _ instance: Int) -> SimulationProgram.Slot {
        program.slots[program.instances[instance].nodeSlots[id.index]]
    }

    private func execute(_ block: [Statement], instance: Int, sequential: Bool,
                         reads: inout [(memory: Int, address: Int, data: Int)],
                         writes: inout [(memory: Int, address: Int, data: [UInt64])]) {
        let flat = program.instances[instance]
        for statement in block {
            switch statement.kind {
            case .assign(let target, let value):
                let source = nodeSlot(value, instance)
                var slot = flat.signalSlots[target.index]
                if sequential, let next = program.nextSlot[slot] { slot = next }
                let t = program.slots[slot]
                for i in 0..<WordArithmetic.wordCount(t.width) where arena[t.offset + i] != arena[source.offset + i] {
                    arena[t.offset + i] = arena[source.offset + i]
                    changed = true
                }
            case .when(let condition, let then, let otherwise):
                let taken = arena[nodeSlot(condition, instance).offset] & 1 == 1
                execute(taken ? then : otherwise, instance: instance, sequential: sequential, reads: &reads, writes: &writes)
            case .switchOn(let subject, let cases, let otherwise):
                let s = nodeSlot(subject, instance)
                let value = BitVector(words: Array(UnsafeBufferPointer(start: arena + s.offset,
                                                                       count: WordArithmetic.wordCount(s.width))),
                                      width: s.width)
                if let match = cases.first(where: { $0.values.contains(value) }) {
                    execute(match.body, instance: instance, sequential: sequential, reads: &reads, writes: &writes)
                } else if let otherwise {
                    execute(otherwise, instance: instance, sequential: sequential, reads: &reads, writes: &writes)
                }
            case .memoryWrite(let memoryID, let address, let data):
                let d = nodeSlot(data, instance)
                writes.append((flat.memories[memoryID.index], addressValue(address, instance),
                               Array(UnsafeBufferPointer(start: arena + d.offset, count: WordArithmetic.wordCount(d.width)))))
            case .memoryRead(let memoryID, let address, let data):
                reads.append((flat.memories[memoryID.index], addressValue(address, instance), flat.signalSlots[data.index]))
            }
        }
    }

    private func addressValue(_ id: ExprID, _ instance: Int) -> Int {
        let s = nodeSlot(id, instance)
        for i in 1..<WordArithmetic.wordCount(s.width) where arena[s.offset + i] != 0 { return Int.max }
        let low = arena[s.offset]
        return low > UInt64(Int.max) ? Int.max : Int(low)
    }

    // MARK: Expressions

    /// Computes node `index` of `instance` into its slot; operands are already computed.
    private func evaluate(_ index: Int, in instance: Int) {
        let flat = program.instances[instance]
        let node = flat.module.nodes[index]
        let r = program.slots[flat.nodeSlots[index]]
        let out = arena + r.offset
        let width = r.width
        let words = WordArithmetic.wordCount(width)
        func operand(_ id: ExprID) -> SimulationProgram.Slot { program.slots[flat.nodeSlots[id.index]] }
        let a = scratch, b = scratch + scratchWords, t = scratch + 2 * scratchWords
        switch node.op {
        case .signal(let id):
            let s = program.slots[flat.signalSlots[id.index]]
            for i in 0..<words { out[i] = arena[s.offset + i] }
        case .constant(let value):
            for i in 0..<words { out[i] = i < value.words.count ? value.words[i] : 0 }
        case .unary(let op, let x):
            let s = operand(x)
            let src = arena + s.offset
            let n = WordArithmetic.wordCount(s.width)
            switch op {
            case .not:
                for i in 0..<words { out[i] = ~src[i] }
                WordArithmetic.maskTop(out, width: width)
            case .orReduce:
                out[0] = (0..<n).contains { src[$0] != 0 } ? 1 : 0
            case .andReduce:
                WordArithmetic.extend(src, srcWidth: s.width, signed: false, into: a, dstWidth: s.width)
                var all = true
                for i in 0..<s.width where !WordArithmetic.bit(a, i) { all = false; break }
                out[0] = all ? 1 : 0
            case .xorReduce:
                var parity = 0
                for i in 0..<n { parity ^= src[i].nonzeroBitCount & 1 }
                out[0] = UInt64(parity)
            }
        case .binary(let op, let x, let y):
            let sx = operand(x), sy = operand(y)
            switch op {
            case .add, .sub, .mul:
                WordArithmetic.extend(arena + sx.offset, srcWidth: sx.width, signed: sx.signed, into: a, dstWidth: width)
                WordArithmetic.extend(arena + sy.offset, srcWidth: sy.width, signed: sy.signed, into: b, dstWidth: width)
                if op == .mul {
                    WordArithmetic.multiply(a, b, into: t, width: width)
                    for i in 0..<words { out[i] = t[i] }
                } else {
                    WordArithmetic.add(a, b, into: out, width: width, subtract: op == .sub)
                }
            case .and, .or, .xor:
                WordArithmetic.extend(arena + sx.offset, srcWidth: sx.width, signed: sx.signed, into: a, dstWidth: width)
                WordArithmetic.extend(arena + sy.offset, srcWidth: sy.width, signed: sy.signed, into: b, dstWidth: width)
                for i in 0..<words { out[i] = op == .and ? a[i] & b[i] : op == .or ? a[i] | b[i] : a[i] ^ b[i] }
            case .eq, .ne, .lt, .le, .gt, .ge:
                let common = max(sx.width, sy.width)
                let signed = sx.signed && sy.signed
                WordArithmetic.extend(arena + sx.offset, srcWidth: sx.width, signed: sx.signed, into: a, dstWidth: common)
                WordArithmetic.extend(arena + sy.offset, srcWidth: sy.width, signed: sy.signed, into: b, dstWidth: common)
                let order = WordArithmetic.compare(a, b, width: common, signed: signed)
                let result: Bool
                switch op {
                case .eq: result = order == 0
                case .ne: result = order != 0
                case .lt: result = order < 0
                case .le: result = order <= 0
                case .gt: result = order > 0
                default: result = order >= 0
                }
                out[0] = result ? 1 : 0
            case .shiftLeft:
                WordArithmetic.extend(arena + sx.offset, srcWidth: sx.width, signed: sx.signed, into: a, dstWidth: width)
                let amount = WordArithmetic.shiftAmount(arena + sy.offset, words: WordArithmetic.wordCount(sy.width),
                                                        limit: width)
                if amount >= width {
                    for i in 0..<words { out[i] = 0 }
                } else {
                    WordArithmetic.shiftLeft(a, by: amount, into: out, width: width)
                }
            case .shiftRight:
                WordArithmetic.extend(arena + sx.offset, srcWidth: sx.width, signed: sx.signed, into: a, dstWidth: width)
                let amount = WordArithmetic.shiftAmount(arena + sy.offset, words: WordArithmetic.wordCount(sy.width),
                                                        limit: width)
                WordArithmetic.shiftRight(a, by: amount, into: out, width: width, arithmetic: r.signed)
            }
        case .mux(let condition, let ifTrue, let ifFalse):
            let chosen = arena[operand(condition).offset] & 1 == 1 ? operand(ifTrue) : operand(ifFalse)
            for i in 0..<words { out[i] = arena[chosen.offset + i] }
        case .concat(let parts):
            for i in 0..<words { t[i] = 0 }
            var low = 0
            for part in parts.reversed() {
                let s = operand(part)
                WordArithmetic.insert(arena + s.offset, width: s.width, into: t, low: low)
                low += s.width
            }
            for i in 0..<words { out[i] = t[i] }
        case .slice(let base, let low):
            let s = operand(base)
            WordArithmetic.extract(arena + s.offset, srcWords: WordArithmetic.wordCount(s.width), low: low, into: t, width: width)
            for i in 0..<words { out[i] = t[i] }
        case .zeroExtend(let x):
            let s = operand(x)
            WordArithmetic.extend(arena + s.offset, srcWidth: s.width, signed: false, into: t, dstWidth: width)
            for i in 0..<words { out[i] = t[i] }
        case .signExtend(let x):
            let s = operand(x)
            WordArithmetic.extend(arena + s.offset, srcWidth: s.width, signed: true, into: t, dstWidth: width)
            for i in 0..<words { out[i] = t[i] }
        case .truncate(let x), .reinterpret(let x):
            let s = operand(x)
            WordArithmetic.extend(arena + s.offset, srcWidth: s.width, signed: false, into: t, dstWidth: width)
            for i in 0..<words { out[i] = t[i] }
        case .invalid:
            preconditionFailure("a checked design has no invalid nodes")
        }
    }
}

/// A simulator misuse (an unknown port name, poking an output).
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
