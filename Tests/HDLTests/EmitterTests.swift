import HDL
import HDLExamples
import Testing

/// Emitter behaviour beyond the examples' expected files: options, naming, legalization.
@Suite struct EmitterTests {
    @Test func sourceLocatorsPointAtTheDSLLines() throws {
        let line = #line + 4
        let module = Module("Located") {
            let a = Input("a", .uint(4))
            let y = Output("y", .uint(4))
            y <== ~a
        }
        let text = SystemVerilogEmitter(options: EmitOptions(sourceLocators: true)).emitSingleText(try Design(top: module))
        #expect(text.contains("    assign y = ~a; // EmitterTests.swift:\(line)\n"))
        #expect(text.contains("    input  logic [3:0] a, // EmitterTests.swift:\(line - 2)\n"))
    }

    @Test func keywordsAreRenamedAndTemporariesAreNumberedPerSignal() throws {
        let module = Module("module") {
            let input = Input("input", .uint(4))
            let begin = Input("begin", .uint(4))
            let y = Output("y", .uint(5))
            let z = Output("z", .uint(5))
            let shared = input + begin
            y <== shared
            z <== shared ^ Const(1, .uint(5))
        }
        let files = SystemVerilogEmitter().emit(try Design(top: module))
        #expect(files.map(\.fileName) == ["module_.sv"])
        let text = files[0].text
        #expect(text.contains("module module_ (\n"))
        #expect(text.contains("input  logic [3:0] input_,"))
        #expect(text.contains("assign _y_1 = 5'(input_) + 5'(begin_);"))
        #expect(text.contains("assign z = _y_1 ^ 5'h01;"))
        try ToolCheck.lint(files, top: "module_")
    }

    @Test func withoutInliningEveryOperatorGetsATemporary() throws {
        let module = Module("Flat") {
            let a = Input("a", .uint(4))
            let b = Input("b", .uint(4))
            let y = Output("y", .uint(4))
            y <== (a & b) | ~a
        }
        let text = SystemVerilogEmitter(options: EmitOptions(inlineExpressions: false)).emitSingleText(try Design(top: module))
        #expect(text.contains("assign _y_1 = a & b;"))
        #expect(text.contains("assign _y_2 = ~a;"))
        #expect(text.contains("assign y = _y_1 | _y_2;"))
    }

    @Test func identicalSubmodulesAreEmittedOnce() throws {
        let design = try Design(top: Examples.rippleAdder(width: 3))
        #expect(design.modules.map(\.name) == ["FullAdder", "RippleAdder_w3"])
        #expect(SystemVerilogEmitter().emit(design).map(\.fileName) == ["FullAdder.sv", "RippleAdder_w3.sv"])
    }

    @Test func wideBusesAndConstantsBeyond64Bits() throws {
        let module = Module("Wide") {
            let bus = Input("bus", .bits(2048))
            let y = Output("y", .bits(2048))
            let low = Output("low", .uint(32))
            y <== bus ^ Const(BitVector(words: [UInt64](repeating: 0xFFFF_0000_FFFF_0000, count: 32), width: 2048))
            low <== bus.lane(63, width: 32)
        }
        let files = SystemVerilogEmitter().emit(try Design(top: module))
        #expect(files[0].text.contains("assign low = bus[2047:2016];"))
        try ToolCheck.lint(files, top: "Wide")
    }

    @Test func irPrintsReadably() throws {
        let text = Examples.counter(width: 4).description
        #expect(text.hasPrefix("module Counter_w4 @ Counter.swift:"))
        #expect(text.contains("register reset=4'h0 value: 4-bit unsigned"))
        #expect(text.contains("when %"))
    }
}

/// Combinational blocks compute what the IR means: a read of a combinational signal sees its
/// final value, even when the same block assigns it later.
@Suite struct CombinationalOrderTests {
    @Test func aBlockReadingItsOwnWritesIsSplitPerSignal() throws {
        let module = Module("ReadAfterWrite") {
            let c = Input("c", .bool)
            let x = Input("x", .uint(4))
            let a = Wire("a", .uint(4))
            let b = Output("b", .uint(4))
            a <== 0
            b <== 0
            When(c) {
                b <== a
                a <== x
            }
        }
        let files = SystemVerilogEmitter().emit(try Design(top: module))
        let text = files[0].text
        #expect(text.components(separatedBy: "always_comb begin").count == 3)
        try ToolCheck.lint(files, top: "ReadAfterWrite")
    }
}

/// A prefix operator on a size cast: Yosys 0.23 parses `^45'(x)` as `(^45)'(x)`, a zero-width
/// cast, and `~8'(x)` as a negative one (found by `normforge fuzz dsl`, seed 2026). The emitter
/// parenthesizes the cast; the file must pass Yosys, Verilator -Wall and Icarus.
@Suite struct PrefixOperatorOnCastTests {
    @Test func castUnderAPrefixOperatorIsParenthesized() throws {
        let module = Module("PrefixCast") {
            let a = Input("a", .sint(4))
            let b = Input("b", .sint(45))
            let y = Output("y", .bool)
            let z = Output("z", .sint(45))
            y <== (a.sext(to: 45) ^ b).xorReduce() ^ a.sext(to: 45).andReduce()
            z <== ~a.sext(to: 45)
        }
        let files = SystemVerilogEmitter().emit(try Design(top: module))
        let text = try #require(files.last?.text)
        #expect(text.contains("~(45'(a))"))
        #expect(text.contains("&(45'(a))"))
        try ToolCheck.synthesize(files, top: "PrefixCast")
        try ToolCheck.lint(files, top: "PrefixCast")
        try ToolCheck.icarus(files, top: "PrefixCast")
    }
}
