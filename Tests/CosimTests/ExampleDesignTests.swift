import HDL
import HDLExamples
import Testing
import Cosim

/// The foundation's example designs pass the same tests on the IR simulator, Verilator and Icarus.
@Suite struct ExampleDesignTests {
    @Test(arguments: SimulationBackend.allCases)
    func counterCounts(backend: SimulationBackend) throws {
        let tb = try Testbench(Design(top: Examples.counter(width: 8)), backend: backend)
        try tb.reset()
        try tb.expect("count", 0)
        try tb.poke("enable", 1)
        for cycle in 1...300 {
            try tb.step()
            try tb.expect("count", cycle % 256)
        }
        try tb.poke("enable", 0)
        try tb.step(5)
        try tb.expect("count", 300 % 256)
        try tb.reset(cycles: 2)
        try tb.expect("count", 0)
        let report = try tb.finish()
        #expect(report.passed == 303 && report.backend == backend.rawValue)
    }

    @Test(arguments: SimulationBackend.allCases)
    func multiplyAddMatchesItsFormula(backend: SimulationBackend) throws {
        let width = 16
        let tb = try Testbench(Design(top: Examples.multiplyAdd(width: width)), backend: backend)
        try tb.poke("valid_in", 0)
        try tb.reset()
        var random = SplitMix64(seed: 3)
        var inFlight: [(y: UInt64, valid: Bool)] = [(0, false), (0, false)]
        for _ in 0..<400 {
            let a = random.next() & 0xFFFF, b = random.next() & 0xFFFF, c = random.next() & 0xFFFF_FFFF
            let valid = random.next() & 3 != 0
            try tb.poke("a", a)
            try tb.poke("b", b)
            try tb.poke("c", c)
            try tb.poke("valid_in", valid)
            let (y, outValid) = inFlight.removeFirst()
            try tb.expect("valid_out", outValid)
            if outValid { try tb.expect("y", y) }
            inFlight.append((a * b + c, valid))
            try tb.step()
        }
        try tb.finish()
    }

    @Test func mismatchOnTheIRSimulatorIsReported() throws {
        let tb = try Testbench(Design(top: Examples.counter(width: 4)), backend: .irSim)
        try tb.reset()
        try tb.poke("enable", 1)
        try tb.step(3)
        try tb.expect("count", 4)
        #expect { try tb.finish() } throws: { error in
            "\(error)".contains("Counter_w4 on ir-sim: 0 passed, 1 failed")
                && "\(error)".contains("vector 0, cycle 4, port count: expected 0x4, actual 0x3")
        }
    }
}
