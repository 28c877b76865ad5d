import Golden
import HDL
import HDLExamples
import Testing
import Cosim

/// The rest of the foundation's examples (memory, hierarchy, FSM, lane-bus pipeline), each
/// against a small reference model, on every backend.
@Suite struct MoreExampleDesignTests {
    @Test(arguments: SimulationBackend.allCases)
    func ramReadsWhatWasWritten(backend: SimulationBackend) throws {
        let tb = try Testbench(Design(top: Examples.ram(depth: 16, width: 8)), backend: backend)
        var random = SplitMix64(seed: 11)
        var memory = [UInt64?](repeating: nil, count: 16)
        for _ in 0..<300 {
            let writeEnable = random.next() & 1 == 1
            let writeAddress = Int(random.next() % 16), data = random.next() & 0xFF, readAddress = Int(random.next() % 16)
            try tb.poke("write_enable", writeEnable)
            try tb.poke("write_address", writeAddress)
            try tb.poke("write_data", data)
            try tb.poke("read_address", readAddress)
            // The read port registers the word as it was before this edge's write.
            let before = memory[readAddress]
            try tb.step()
            if let before { try tb.expect("read_data", before) }
            if writeEnable { memory[writeAddress] = data }
        }
        try tb.finish()
    }

    @Test(arguments: SimulationBackend.allCases)
    func rippleAdderAdds(backend: SimulationBackend) throws {
        let tb = try Testbench(Design(top: Examples.rippleAdder(width: 6)), backend: backend)
        try tb.reset()
        try tb.expect("sum", 0)
        for a in stride(from: 0, to: 64, by: 5) {
            for b in stride(from: 0, to: 64, by: 7) {
                try tb.poke("a", a)
                try tb.poke("b", b)
                try tb.step()
                try tb.expect("sum", a + b)
            }
        }
        try tb.finish()
    }

    @Test(arguments: SimulationBackend.allCases)
    func sequencerRunsItsCycles(backend: SimulationBackend) throws {
        let cycles = 5
        let tb = try Testbench(Design(top: Examples.sequencer(cycles: cycles)), backend: backend)
        try tb.poke("start", 0)
        try tb.reset()
        enum State { case idle, run, finish }
        var state = State.idle, remaining = 0
        var random = SplitMix64(seed: 4)
        for _ in 0..<200 {
            let start = random.next() % 4 == 0
            try tb.poke("start", start)
            try tb.expect("busy", state == .run)
            try tb.expect("done", state == .finish)
            try tb.step()
            switch state {
            case .idle: if start { state = .run; remaining = cycles - 1 }
            case .run: if remaining == 0 { state = .finish } else { remaining -= 1 }
            case .finish: state = .idle
            }
        }
        try tb.finish()
    }

    @Test(arguments: SimulationBackend.allCases)
    func adderTreeSumsLanes(backend: SimulationBackend) throws {
        let lanes = 8, width = 16
        let tb = try Testbench(Design(top: Examples.adderTree(lanes: lanes, width: width)), backend: backend)
        var random = SplitMix64(seed: 8)
        var sums: [UInt64] = []
        for cycle in 0..<100 {
            let values = (0..<lanes).map { _ in random.next() & 0xFFFF }
            var words = [UInt64](repeating: 0, count: 2)
            for (index, value) in values.enumerated() { words[index / 4] |= value << UInt64(16 * (index % 4)) }
            try tb.poke("lanes", BitVector(words: words, width: lanes * width))
            sums.append(values.reduce(0, +))
            // Three register levels: the total of the lanes driven three edges ago.
            if cycle >= 3 { try tb.expect("total", sums[cycle - 3]) }
            try tb.step()
        }
        try tb.finish()
    }
}
