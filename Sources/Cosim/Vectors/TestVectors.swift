import HDL

/// Stimulus and expected outputs for a design, one entry per check point: what the golden model
/// writes and every backend replays (`VectorRunner` in-process, the Icarus testbench from files).
///
/// Each vector sets every data input (clock excluded), lets combinational logic settle, compares
/// the expected outputs (`nil` = not checked), then runs `cycles` rising clock edges (usually 1;
/// 0 checks combinational outputs again before the next edge).
public struct TestVectors: Sendable {
    /// One check point.
    public struct Vector: Sendable, Hashable {
        /// Values of `TestVectors.inputs`, in order.
        public var inputs: [BitVector]
        /// Expected values of `TestVectors.outputs`, in order; `nil` = don't care.
        public var expected: [BitVector?]
        /// Clock edges after the comparison.
        public var cycles: Int
    }

    public let design: VerilogDesign
    /// The driven inputs: every input except the clock.
    public let inputs: [PortDescription]
    public let outputs: [PortDescription]
    public private(set) var vectors: [Vector] = []
    /// Input values the next vector starts from: unmentioned inputs keep their last value.
    private var current: [BitVector]

    public init(design: VerilogDesign) {
        self.design = design
        inputs = design.dataInputs
        outputs = design.outputs
        current = inputs.map { BitVector(width: $0.width) }
    }

    public var count: Int { vectors.count }
    /// Clock edges over all vectors.
    public var totalCycles: Int { vectors.reduce(0) { $0 + $1.cycles } }

    /// Appends a vector: `inputs` by port name (others keep their previous value, initially 0),
    /// `expect` by output name (others unchecked). Throws on unknown ports, outputs given as
    /// inputs (or the reverse), and values that do not fit.
    public mutating func append(_ inputs: [String: any PortValueConvertible],
                                expect: [String: any PortValueConvertible] = [:], cycles: Int = 1) throws {
        guard cycles >= 0 else { throw CosimError.badPortAccess("cycles must be >= 0, got \(cycles)") }
        var next = current
        for (name, value) in inputs {
            guard let index = self.inputs.firstIndex(where: { $0.name == name }) else {
                throw misuse(name, as: "input")
            }
            next[index] = try self.inputs[index].value(value)
        }
        var expected = [BitVector?](repeating: nil, count: outputs.count)
        for (name, value) in expect {
            guard let index = outputs.firstIndex(where: { $0.name == name }) else { throw misuse(name, as: "output") }
            expected[index] = try outputs[index].value(value)
        }
        current = next
        vectors.append(Vector(inputs: next, expected: expected, cycles: cycles))
    }

    /// Appends a vector given as complete arrays in port order (the fast path for generators).
    public mutating func append(vector: Vector) throws {
        guard vector.inputs.count == inputs.count, vector.expected.count == outputs.count, vector.cycles >= 0,
              zip(vector.inputs, inputs).allSatisfy({ $0.width == $1.width }),
              zip(vector.expected, outputs).allSatisfy({ $0 == nil || $0!.width == $1.width }) else {
            throw CosimError.badPortAccess("vector does not match the ports of \(design.topModule)")
        }
        current = vector.inputs
        vectors.append(vector)
    }

    /// Sets the expected value of output `slot` in the last vector (used by `Testbench` while it
    /// records an Icarus run). Returns false when that output already has a different one.
    mutating func expectInLast(slot: Int, _ value: BitVector) -> Bool {
        guard let last = vectors.indices.last else { return false }
        if let existing = vectors[last].expected[slot], existing != value { return false }
        vectors[last].expected[slot] = value
        return true
    }

    /// Adds clock edges after the last vector's checks.
    mutating func addCyclesToLast(_ cycles: Int) {
        if let last = vectors.indices.last { vectors[last].cycles += cycles }
    }

    /// Appends a vector with the given complete input values, no checks and no clock edges.
    mutating func appendHold(inputs values: [BitVector]) {
        current = values
        vectors.append(Vector(inputs: values, expected: [BitVector?](repeating: nil, count: outputs.count), cycles: 0))
    }

    private func misuse(_ name: String, as role: String) -> CosimError {
        if design.ports.contains(where: { $0.name == name }) {
            return .badPortAccess("\(design.topModule).\(name) is not a driven \(role)"
                                  + (name == design.clock ? " (the clock is toggled by the testbench)" : ""))
        }
        return .unknownPort(name, design: design.topModule, known: design.ports.map(\.name))
    }
}
