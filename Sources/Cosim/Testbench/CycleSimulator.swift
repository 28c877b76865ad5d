import HDL

/// A simulator that can be driven cycle by cycle in-process: the IR simulator and Verilator.
/// Ports are addressed by their index in `design.ports`.
public protocol CycleSimulator: AnyObject {
    var design: VerilogDesign { get }
    /// `ir-sim` or `verilator`, for reports.
    var backendName: String { get }
    /// Drives an input (the value has the port's width).
    func write(port index: Int, _ value: BitVector)
    /// Reads a port; combinational outputs reflect the inputs as of the last `settle`/`step`.
    func read(port index: Int) -> BitVector
    /// Settles combinational logic after inputs changed.
    func settle()
    /// Runs `cycles` rising clock edges, settling before each.
    func step(_ cycles: Int)
    /// Throws if the simulation hit `$fatal`/`$stop` or another runtime error.
    func checkError() throws
}

extension VerilatorModel: CycleSimulator {
    public var backendName: String { "verilator" }

    public func write(port index: Int, _ value: BitVector) {
        portsByIndex[index].write(value)
        settledLow = false
    }

    public func read(port index: Int) -> BitVector {
        portsByIndex[index].readValue()
    }

    /// A testbench pokes, settles to peek, then steps: settling with the clock low lets the step
    /// skip its low-phase eval, two evals per cycle instead of three.
    public func settle() {
        settleLow()
        settledLow = true
    }

    public func step(_ cycles: Int) {
        if settledLow { stepSettled(UInt64(cycles)) } else { step(UInt64(cycles)) }
        settledLow = false
    }
}
