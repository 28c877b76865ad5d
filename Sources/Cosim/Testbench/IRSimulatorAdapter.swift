import HDL

/// The IR simulator behind the `CycleSimulator` interface: `VerilogDesign(design)` lists the
/// ports in the top module's order, so port indices carry over unchanged.
final class IRSimulatorAdapter: CycleSimulator {
    let design: VerilogDesign
    let simulator: IRSimulator
    var backendName: String { "ir-sim" }

    init(design: VerilogDesign, hdl: Design) throws {
        self.design = design
        simulator = try IRSimulator(hdl)
    }

    func write(port index: Int, _ value: BitVector) { simulator.write(port: index, value) }
    func read(port index: Int) -> BitVector { simulator.read(port: index) }
    func settle() { simulator.settle() }
    func step(_ cycles: Int) { simulator.step(cycles) }
    func checkError() throws {}
}
