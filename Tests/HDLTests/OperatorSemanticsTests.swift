import Cosim
import Foundation
import HDL
import Testing

/// Runs the emitted SystemVerilog of one module with many operators in Icarus and compares
/// every output with the width rules computed in Swift: the check that the emitter's explicit
/// extensions and truncations make Verilog compute what the IR means.
@Suite struct OperatorSemanticsTests {
    /// One output: its type, how the DSL computes it, how Swift computes it.
    struct Probe: @unchecked Sendable {
        let name: String
        let type: HWType
        let build: (Operands) -> Signal
        let expected: (Int, Int, Int) -> Int   // (a, b, s) with a, b as unsigned 8-bit patterns
    }

    struct Operands {
        let a, b, sa, sb, s: Signal
    }

    static func signed8(_ x: Int) -> Int { x >= 128 ? x - 256 : x }

    static let probes: [Probe] = {
        let s8 = signed8
        return [
            Probe(name: "add", type: .uint(9), build: { $0.a + $0.b }, expected: { a, b, _ in a + b }),
            Probe(name: "addw", type: .uint(8), build: { $0.a &+ $0.b }, expected: { a, b, _ in a + b }),
            Probe(name: "sub", type: .uint(9), build: { $0.a - $0.b }, expected: { a, b, _ in a - b }),
            Probe(name: "mul", type: .uint(16), build: { $0.a * $0.b }, expected: { a, b, _ in a * b }),
            Probe(name: "mulw", type: .uint(8), build: { $0.a &* $0.b }, expected: { a, b, _ in a * b }),
            Probe(name: "sadd", type: .sint(9), build: { $0.sa + $0.sb }, expected: { a, b, _ in s8(a) + s8(b) }),
            Probe(name: "ssub", type: .sint(9), build: { $0.sa - $0.sb }, expected: { a, b, _ in s8(a) - s8(b) }),
            Probe(name: "smul", type: .sint(16), build: { $0.sa * $0.sb }, expected: { a, b, _ in s8(a) * s8(b) }),
            Probe(name: "lt", type: .bool, build: { $0.a < $0.b }, expected: { a, b, _ in a < b ? 1 : 0 }),
            Probe(name: "slt", type: .bool, build: { $0.sa < $0.sb }, expected: { a, b, _ in s8(a) < s8(b) ? 1 : 0 }),
            Probe(name: "sle_const", type: .bool, build: { $0.sa <= -3 }, expected: { a, _, _ in s8(a) <= -3 ? 1 : 0 }),
            Probe(name: "ge", type: .bool, build: { $0.a >= $0.b }, expected: { a, b, _ in a >= b ? 1 : 0 }),
            Probe(name: "eq5", type: .bool, build: { $0.a == 5 }, expected: { a, _, _ in a == 5 ? 1 : 0 }),
            Probe(name: "wrap_lt", type: .bool, build: { ($0.a &+ $0.b) < $0.a }, expected: { a, b, _ in (a + b) & 0xFF < a ? 1 : 0 }),
            Probe(name: "wide_cmp", type: .bool, build: { $0.a < ($0.a &+ $0.b).zext(to: 12) }, expected: { a, b, _ in a < (a + b) & 0xFF ? 1 : 0 }),
            Probe(name: "shl", type: .uint(10), build: { $0.a << 2 }, expected: { a, _, _ in a << 2 }),
            Probe(name: "shlw", type: .uint(8), build: { $0.a &<< $0.s }, expected: { a, _, s in a << s }),
            Probe(name: "shr", type: .uint(8), build: { $0.a >> $0.s }, expected: { a, _, s in a >> s }),
            Probe(name: "sshr", type: .sint(8), build: { $0.sa >> $0.s }, expected: { a, _, s in s8(a) >> s }),
            Probe(name: "sshr3", type: .sint(8), build: { $0.sa >> 3 }, expected: { a, _, _ in s8(a) >> 3 }),
            Probe(name: "zext_signed", type: .sint(12), build: { $0.sa.zext(to: 12) }, expected: { a, _, _ in a }),
            Probe(name: "sext_unsigned", type: .uint(12), build: { $0.a.sext(to: 12) }, expected: { a, _, _ in s8(a) }),
            Probe(name: "sext_signed", type: .sint(12), build: { $0.sa.sext(to: 12) }, expected: { a, _, _ in s8(a) }),
            Probe(name: "trunc_mul", type: .uint(8), build: { ($0.a * $0.b).truncate(to: 8) }, expected: { a, b, _ in a * b }),
            Probe(name: "nested", type: .uint(8), build: { (($0.a + $0.b) &* 3).truncate(to: 8) }, expected: { a, b, _ in (a + b) * 3 }),
            Probe(name: "wrap_then_widen", type: .uint(10), build: { ($0.a &+ $0.b).zext(to: 10) &+ $0.b.zext(to: 10) },
                  expected: { a, b, _ in ((a + b) & 0xFF) + b }),
            Probe(name: "signed_mix_widths", type: .sint(13), build: { $0.sa + $0.sa.sext(to: 12) }, expected: { a, _, _ in 2 * s8(a) }),
            Probe(name: "min", type: .uint(8), build: { mux($0.a < $0.b, $0.a, $0.b) }, expected: { a, b, _ in min(a, b) }),
            Probe(name: "cat", type: .uint(8), build: { cat($0.a[3, 0], $0.b[7, 4]) }, expected: { a, b, _ in (a & 0xF) << 4 | b >> 4 }),
            Probe(name: "bit", type: .bool, build: { $0.a[7] ^ $0.b[0] }, expected: { a, b, _ in (a >> 7) ^ (b & 1) }),
            Probe(name: "not", type: .uint(8), build: { ~$0.a }, expected: { a, _, _ in ~a }),
            Probe(name: "not_widened", type: .uint(9), build: { (~$0.a).zext(to: 9) &+ $0.a.zext(to: 9) }, expected: { _, _, _ in 255 }),
            Probe(name: "or_reduce", type: .bool, build: { $0.a.orReduce() }, expected: { a, _, _ in a != 0 ? 1 : 0 }),
            Probe(name: "and_reduce", type: .bool, build: { $0.a.andReduce() }, expected: { a, _, _ in a == 255 ? 1 : 0 }),
            Probe(name: "xor_reduce", type: .bool, build: { $0.a.xorReduce() }, expected: { a, _, _ in a.nonzeroBitCount & 1 }),
            Probe(name: "lz8", type: .uint(4), build: { leadingZeros($0.a) }, expected: { a, _, _ in a == 0 ? 8 : a.leadingZeroBitCount - (Int.bitWidth - 8) }),
            Probe(name: "lz5", type: .uint(3), build: { leadingZeros($0.a[4, 0]) },
                  expected: { a, _, _ in a & 0x1F == 0 ? 5 : (a & 0x1F).leadingZeroBitCount - (Int.bitWidth - 5) }),
            Probe(name: "as_signed_lt", type: .bool, build: { $0.a.asSigned() < $0.sb }, expected: { a, b, _ in s8(a) < s8(b) ? 1 : 0 }),
            Probe(name: "as_unsigned", type: .uint(9), build: { $0.sa.asUnsigned() + $0.b }, expected: { a, b, _ in a + b }),
            Probe(name: "logic", type: .bool, build: { ($0.a[0] && !$0.b[1]) || $0.a[2] },
                  expected: { a, b, _ in ((a & 1 == 1 && b & 2 == 0) || a & 4 != 0) ? 1 : 0 }),
        ]
    }()

    static func zoo() -> Module {
        Module("OperatorZoo") {
            let a = Input("a", .uint(8))
            let b = Input("b", .uint(8))
            let s = Input("s", .uint(3))
            let operands = Operands(a: a, b: b, sa: a.asSigned(), sb: b.asSigned(), s: s)
            for probe in probes {
                Output(probe.name, probe.type) <== probe.build(operands)
            }
        }
    }

    @Test func icarusComputesTheIRWidthRules() throws {
        let design = try Design(top: Self.zoo())
        let files = SystemVerilogEmitter().emit(design)
        try ToolCheck.lint(files, top: "OperatorZoo")

        var rng = SystemRandomNumberGenerator()
        var vectors: [(Int, Int, Int)] = [(0, 0, 0), (255, 255, 7), (128, 127, 1), (127, 128, 4), (5, 250, 3), (1, 0, 0)]
        for _ in 0..<200 { vectors.append((Int.random(in: 0...255, using: &rng), Int.random(in: 0...255, using: &rng), Int.random(in: 0...7, using: &rng))) }

        var bench = "module tb;\n    logic [7:0] a, b;\n    logic [2:0] s;\n"
        for probe in Self.probes {
            bench += "    logic \(probe.type.isSigned ? "signed " : "")[\(probe.type.width - 1):0] t_\(probe.name);\n"
        }
        // Ports named after SystemVerilog keywords are emitted with a `_` suffix.
        let portNames = Self.probes.map { ["not": "not_", "logic": "logic_", "bit": "bit_"][$0.name] ?? $0.name }
        bench += "    OperatorZoo dut (.a(a), .b(b), .s(s), "
            + zip(portNames, Self.probes).map { ".\($0)(t_\($1.name))" }.joined(separator: ", ") + ");\n"
        bench += "    initial begin\n"
        for (a, b, s) in vectors {
            bench += "        a = 8'd\(a); b = 8'd\(b); s = 3'd\(s); #1;\n"
            bench += "        $display(\"" + Self.probes.map { _ in "%h" }.joined(separator: " ") + "\", "
                + Self.probes.map { "t_\($0.name)" }.joined(separator: ", ") + ");\n"
        }
        bench += "    end\nendmodule\n"
        let dir = try ToolCheck.write(files + [EmittedFile(moduleName: "tb", text: bench)])
        defer { try? FileManager.default.removeItem(at: dir) }
        try ProcessRunner.check(.iverilog, ["-g2012", "-s", "tb", "-o", "sim.vvp", "tb.sv", "OperatorZoo.sv"], in: dir)
        let output = try ProcessRunner.check(.vvp, ["-n", "sim.vvp"], in: dir).stdout
        let lines = output.split(separator: "\n").filter { !$0.isEmpty && !$0.hasPrefix("VCD") }
        try #require(lines.count == vectors.count)
        for (line, (a, b, s)) in zip(lines, vectors) {
            for (probe, field) in zip(Self.probes, line.split(separator: " ")) {
                let mask = (1 << probe.type.width) - 1
                let expected = probe.expected(a, b, s) & mask
                #expect(Int(field, radix: 16) == expected, "\(probe.name)(a: \(a), b: \(b), s: \(s))")
            }
        }
    }
}
