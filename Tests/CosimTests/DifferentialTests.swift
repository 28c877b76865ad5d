import Golden
import HDL
import Testing
import Cosim

/// Random well-formed circuits simulate identically on the IR simulator and on Verilator: every
/// operator, both signednesses, widths on both sides of 64 bits, static and dynamic shifts,
/// slices, extensions and registers.
@Suite struct DifferentialTests {
    private struct Widths {
        let u1, u2, s1, s2, amount: Int
    }

    /// One expression of every operator kind over the inputs.
    private static func expressions(u1: Signal, u2: Signal, s1: Signal, s2: Signal, amount: Signal, c: Signal,
                                    random: inout SplitMix64) -> [Signal] {
        let common = max(u1.width, u2.width), signedCommon = max(s1.width, s2.width)
        let uA = u1.zext(to: common), uB = u2.zext(to: common)
        let sA = s1.sext(to: signedCommon), sB = s2.sext(to: signedCommon)
        let hi = Int(random.next() % UInt64(u1.width)), lo = Int(random.next() % UInt64(hi + 1))
        let keep = 1 + Int(random.next() % UInt64(s1.width))
        let shift = Int(random.next() % 5)
        return [
            u1 + u2, u1 - u2, u1 * u2, uA &+ uB, uA &- uB, uA &* uB,
            s1 + s2, s1 - s2, s1 * s2, sA &+ sB, sA &- sB, sA &* sB,
            uA & uB, uA | uB, uA ^ uB, ~u1, sA ^ sB, ~s1,
            u1 < u2, u1 >= u2, u1 == u2, s1 < s2, s1 >= s2, s1 != s2,
            u1 &<< amount, u1 >> amount, s1 &<< amount, s1 >> amount,
            u1 << shift, s1 >> shift, s1 << shift,
            u1[hi, lo], s1.truncate(to: keep), cat(u1, s1.asUnsigned(), c),
            u1.zext(to: u1.width + 9), s1.sext(to: s1.width + 70), s1.asUnsigned(), u1.asSigned(),
            mux(c, uA, uB), mux(c, sA, sB),
            u1.orReduce(), u1.andReduce(), s1.xorReduce(),
        ]
    }

    private static func circuit(seed: UInt64) -> Module {
        var random = SplitMix64(seed: seed)
        func width() -> Int { [1, 3, 8, 17, 31, 32, 33, 63, 64, 65, 100][Int(random.next() % 11)] }
        let widths = Widths(u1: width(), u2: width(), s1: max(2, width()), s2: max(2, width()), amount: 1 + Int(random.next() % 7))
        return Module("Random_\(seed)") {
            let u1 = Input("u1", .uint(widths.u1)), u2 = Input("u2", .uint(widths.u2))
            let s1 = Input("s1", .sint(widths.s1)), s2 = Input("s2", .sint(widths.s2))
            let amount = Input("amount", .uint(widths.amount)), c = Input("c", .bool)
            let values = expressions(u1: u1, u2: u2, s1: s1, s2: s2, amount: amount, c: c, random: &random)
            for (index, value) in values.enumerated() {
                let out = Output("o\(index)", value.type)
                out <== value
                let registered = Output("r\(index)", value.type)
                registered <== RegNext("q\(index)", value)
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func irSimulatorMatchesVerilator(seed: UInt64) throws {
        let design = try VerilogDesign(Design(top: Self.circuit(seed: seed)))
        let ir = try Testbench(design, backend: .irSim)
        let verilator = try Testbench(design, backend: .verilator)
        var random = SplitMix64(seed: seed &* 977)
        let inputs = design.ports.filter { $0.direction == .input && $0.name != design.clock }
        let outputs = design.outputs
        for _ in 0..<40 {
            for port in inputs {
                let value = BitVector(words: (0..<port.wordCount).map { _ in random.next() }, width: port.width)
                try ir.poke(port.name, value)
                try verilator.poke(port.name, value)
            }
            for port in outputs {
                let (a, b) = (try ir.peek(port.name), try verilator.peek(port.name))
                #expect(a == b, "seed \(seed), \(port.name): ir-sim \(a), verilator \(b)")
            }
            try ir.step()
            try verilator.step()
        }
    }
}
