import Golden
import Foundation
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

@Suite struct WaveformAndWidePortTests {
    @Test(arguments: SimulationBackend.allCases)
    func vcdIsWrittenOnRequest(backend: SimulationBackend) throws {
        let directory = try Fixtures.temporaryDirectory("vcd")
        defer { try? FileManager.default.removeItem(at: directory) }
        let vcd = directory.appendingPathComponent("counter.vcd")
        let tb = try Testbench(Design(top: Examples.counter(width: 4)), backend: backend,
                               options: TestbenchOptions(vcd: vcd))
        try tb.reset()
        try tb.poke("enable", 1)
        try tb.step(5)
        try tb.expect("count", 5)
        try tb.finish()
        let text = try String(contentsOf: vcd, encoding: .utf8)
        #expect(text.contains("$enddefinitions"))
        #expect(text.contains("count"))
    }

    /// 64 lanes x 32 bits in and out, through every backend: the IR simulator's multiword
    /// paths, Verilator's VlWide storage and Icarus' 2048-bit vector words.
    @Test(arguments: SimulationBackend.allCases)
    func wideLaneBusRoundTrip(backend: SimulationBackend) throws {
        let module = Module("LaneIncrement") {
            let lanesIn = Input("lanes_in", .bits(64 * 32))
            let lanesOut = Output("lanes_out", .bits(64 * 32))
            let held = Reg("held", .bits(64 * 32))
            held <== packLanes((0..<64).map { lanesIn.lane($0, width: 32) &+ 1 })
            lanesOut <== held
        }
        let tb = try Testbench(Design(top: module), backend: backend)
        var random = SplitMix64(seed: 5)
        for _ in 0..<8 {
            let lanes = (0..<64).map { _ in random.next() & 0xFFFF_FFFF }
            var inWords = [UInt64](repeating: 0, count: 32), outWords = inWords
            for (index, lane) in lanes.enumerated() {
                inWords[index / 2] |= lane << UInt64(32 * (index % 2))
                outWords[index / 2] |= ((lane + 1) & 0xFFFF_FFFF) << UInt64(32 * (index % 2))
            }
            try tb.poke("lanes_in", BitVector(words: inWords, width: 2048))
            try tb.step()
            try tb.expect("lanes_out", BitVector(words: outWords, width: 2048))
        }
        try tb.finish()
    }
}
