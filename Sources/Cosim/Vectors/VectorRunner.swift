import HDL

/// Replays a vector set on an in-process simulator with exactly the Icarus testbench's timing:
/// drive inputs, settle, compare, then run the vector's clock edges.
public enum VectorRunner {
    /// Runs every vector; reports at most `maxReports` mismatches (all are counted).
    public static func run(_ vectors: TestVectors, on simulator: some CycleSimulator,
                           maxReports: Int = 10) throws -> CheckReport {
        let design = simulator.design
        let inputIndices = try vectors.inputs.map { port in try index(of: port, in: design) }
        let outputIndices = try vectors.outputs.map { port in try index(of: port, in: design) }
        var passed = 0, failed = 0, cycle = 0
        var mismatches: [Mismatch] = []
        for (number, vector) in vectors.vectors.enumerated() {
            for (slot, value) in vector.inputs.enumerated() { simulator.write(port: inputIndices[slot], value) }
            simulator.settle()
            for (slot, expected) in vector.expected.enumerated() {
                guard let expected else { continue }
                let actual = simulator.read(port: outputIndices[slot])
                if actual == expected {
                    passed += 1
                } else {
                    failed += 1
                    if mismatches.count < maxReports {
                        mismatches.append(Mismatch(vector: number, cycle: cycle, port: vectors.outputs[slot],
                                                   expected: expected, actual: actual))
                    }
                }
            }
            if vector.cycles > 0 {
                simulator.step(vector.cycles)
                cycle += vector.cycles
            }
            try simulator.checkError()
        }
        return CheckReport(backend: simulator.backendName, design: design.topModule, passed: passed,
                           failed: failed, mismatches: mismatches)
    }

    private static func index(of port: PortDescription, in design: VerilogDesign) throws -> Int {
        guard let index = design.ports.firstIndex(where: { $0.name == port.name && $0.width == port.width }) else {
            throw CosimError.unknownPort(port.name, design: design.topModule, known: design.ports.map(\.name))
        }
        return index
    }
}
