import HDL
import Testing

/// Deliberately wrong designs, at least one per check: each asserts the exact messages and lines.
@Suite struct DiagnosticCatalogueTests {
    static let file = "DiagnosticCatalogueTests.swift"

    func at(_ line: Int, _ message: String) -> String { "\(Self.file):\(line): error: \(message)" }

    // MARK: Width and signedness

    @Test func widthMismatchOnAssignment() {
        let line = #line + 4
        let module = Module("WidthMismatch") {
            let a = Input("a", .uint(8))
            let y = Output("y", .uint(8))
            y <== a + a
        }
        #expect(diagnostics(module) == [at(line, "width mismatch: cannot assign a 9-bit value to 8-bit 'y' (use zext/sext/truncate)")])
    }

    /// Found by the DSL fuzzer: slang rejects the emitted `m[4'hd]` of a 10-word memory.
    @Test func constantMemoryAddressBeyondDepth() {
        let line = #line + 5
        let module = Module("MemoryOutOfRange") {
            let d = Input("d", .uint(8))
            let y = Output("y", .uint(8))
            let mem = Memory("m", depth: 10, .uint(8))
            mem.write(Const(13, .uint(4)), d)
            y <== mem.read(Const(9, .uint(4)))
        }
        #expect(diagnostics(module) == [at(line, "out of range: memory 'm' has 10 words, constant address 13 is beyond them")])
    }

    @Test func widthMismatchInWrappingOperator() {
        let line = #line + 5
        let module = Module("WrapMismatch") {
            let a = Input("a", .uint(8))
            let b = Input("b", .uint(4))
            let y = Output("y", .uint(8))
            y <== a &+ b
        }
        #expect(diagnostics(module) == [at(line, "width mismatch: '&+' needs operands of equal width, got 8 and 4 bits")])
    }

    @Test func widthMismatchInWhenCondition() {
        let line = #line + 5
        let module = Module("WideCondition") {
            let a = Input("a", .uint(8))
            let y = Output("y", .uint(8))
            y <== 0
            When(a) { y <== a }
        }
        #expect(diagnostics(module) == [at(line, "width mismatch: a When condition must be 1 bit, got 8 bits")])
    }

    @Test func signednessMismatch() {
        let line = #line + 5
        let module = Module("SignMix") {
            let a = Input("a", .uint(8))
            let b = Input("b", .sint(8))
            let y = Output("y", .uint(9))
            y <== a + b
        }
        #expect(diagnostics(module) == [at(line, "signedness mismatch: '+' mixes signed and unsigned operands")])
    }

    @Test func constantThatDoesNotFit() {
        let line = #line + 4
        let module = Module("BigConstant") {
            let a = Input("a", .uint(4))
            let y = Output("y", .uint(4))
            y <== a &+ 20
        }
        #expect(diagnostics(module) == [at(line, "constant 20 does not fit in 4-bit unsigned")])
    }

    // MARK: Drivers

    @Test func undrivenOutputWireAndRegister() {
        let line = #line + 2
        let module = Module("Undriven") {
            let y = Output("y", .uint(4))
            let w = Wire("w", .uint(4))
            let r = Reg("r", .uint(4))
            let z = Output("z", .uint(4))
            z <== w &+ r
            _ = y
        }
        #expect(diagnostics(module) == [
            at(line, "undriven: output 'y' is never assigned"),
            at(line + 1, "undriven: wire 'w' is never assigned"),
            at(line + 2, "undriven: register 'r' is never assigned"),
        ])
    }

    @Test func multipleDriversInOneBlock() {
        let line = #line + 4
        let module = Module("TwoDrivers") {
            let a = Input("a", .uint(4))
            let y = Output("y", .uint(4))
            y <== a
            y <== ~a
        }
        #expect(diagnostics(module) == [
            at(line + 1, "multiple drivers: 'y' is already assigned at \(Self.file):\(line) in the same block"),
        ])
    }

    @Test func drivingAnInputOrAnInstanceOutput() {
        let child = Module("Inverter") {
            let a = Input("a", .bool)
            let y = Output("y", .bool)
            y <== !a
        }
        let line = #line + 5
        let module = Module("DriveInput") {
            let a = Input("a", .bool)
            let u = Instance(child, "u")
            u.a <== a
            a <== u.y
            u.y <== a
        }
        #expect(diagnostics(module) == [
            at(line, "multiple drivers: 'a' is an input port, driven from outside"),
            at(line + 1, "multiple drivers: 'u_y' is driven by instance 'u'"),
        ])
    }

    // MARK: Loops and latches

    @Test func combinationalLoop() {
        let line = #line + 6
        let module = Module("Loop") {
            let a = Input("a", .uint(4))
            let y = Output("y", .uint(4))
            let p = Wire("p", .uint(4))
            let q = Wire("q", .uint(4))
            p <== q ^ a
            q <== p &+ 1
            y <== q
        }
        #expect(diagnostics(module) == [at(line, "combinational loop: p -> q -> p")])
    }

    @Test func loopThroughARegisterIsFine() {
        let module = Module("Accumulator") {
            let a = Input("a", .uint(4))
            let y = Output("y", .uint(4))
            let acc = Reg("acc", .uint(4), reset: 0)
            acc <== acc &+ a
            y <== acc
        }
        #expect(diagnostics(module) == [])
    }

    @Test func latchFromWhenWithoutOtherwise() {
        let line = #line + 5
        let module = Module("Latch") {
            let enable = Input("enable", .bool)
            let a = Input("a", .uint(4))
            let y = Output("y", .uint(4))
            When(enable) { y <== a }
        }
        #expect(diagnostics(module) == [
            at(line, "latch: 'y' is not assigned on every path (assign a default first, or add Otherwise/Default)"),
        ])
    }

    @Test func latchFromIncompleteSwitch() {
        let line = #line + 5
        let module = Module("SwitchLatch") {
            let select = Input("select", .uint(2))
            let y = Output("y", .uint(4))
            Switch(select) {
                Case(0) { y <== 1 }
                Case(1, 2) { y <== 2 }
            }
        }
        #expect(diagnostics(module) == [
            at(line, "latch: 'y' is not assigned on every path (assign a default first, or add Otherwise/Default)"),
        ])
    }

    @Test func completeSwitchAndDefaultsAreNotLatches() {
        let module = Module("NoLatch") {
            let select = Input("select", .uint(1))
            let enable = Input("enable", .bool)
            let y = Output("y", .uint(4))
            let z = Output("z", .uint(4))
            Switch(select) {
                Case(0) { y <== 1 }
                Case(1) { y <== 2 }
            }
            z <== 0
            When(enable) { z <== 3 }
        }
        #expect(diagnostics(module) == [])
    }

    // MARK: Slices

    @Test func outOfRangeSliceBitAndTruncation() {
        let line = #line + 6
        let module = Module("Slices") {
            let a = Input("a", .uint(8))
            let y = Output("y", .uint(4))
            let b = Output("b", .bool)
            let t = Output("t", .uint(9))
            y <== a[9, 6]
            b <== a[8]
            t <== a.truncate(to: 9)
        }
        #expect(diagnostics(module) == [
            at(line, "out-of-range slice [9:6] of a 8-bit value"),
            at(line + 1, "out-of-range bit [8] of a 8-bit value"),
            at(line + 2, "truncate(to: 9) is out of range for a 8-bit value"),
        ])
    }

    // MARK: Names

    @Test func duplicateSignalNames() {
        let line = #line + 2
        let module = Module("Duplicates") {
            let a = Input("a", .uint(4))
            let y = Output("a", .uint(4))
            y <== a
        }
        #expect(diagnostics(module) == [at(line + 1, "duplicate name: 'a' is already declared at \(Self.file):\(line)")])
    }

    @Test func duplicateModuleNames() {
        let first = Module("Leaf") {
            let y = Output("y", .bool)
            y <== 0
        }
        let second = Module("Leaf") {
            let y = Output("y", .bool)
            y <== 1
        }
        let line = #line + 4
        let top = Module("Top") {
            let y = Output("y", .bool)
            let u = Instance(first, "u")
            let v = Instance(second, "v")
            y <== u.y ^ v.y
        }
        #expect(diagnostics(top) == [at(line, "duplicate name: two different modules are named 'Leaf'")])
    }

    @Test func reservedAndInvalidNames() {
        let line = #line + 2
        let module = Module("Names") {
            let a = Input("_a", .bool)
            let y = Output("2y", .bool)
            y <== a
        }
        #expect(diagnostics(module) == [
            at(line, "invalid name '_a': use letters, digits and '_', not starting with a digit or '_'"),
            at(line + 1, "invalid name '2y': use letters, digits and '_', not starting with a digit or '_'"),
        ])
    }

    // MARK: Misuse of DSL constructs

    @Test func unknownPortFieldAndState() {
        let child = Module("Buffer") {
            let a = Input("a", .bool)
            let y = Output("y", .bool)
            y <== a
        }
        let line = #line + 2
        let module = Module("Unknowns") {
            let u = Instance(child, "u")
            let bus = Input("bus", BundleLayout(["valid": .bool]))
            let fsm = FSM("state", states: ["idle", "busy"])
            let y = Output("y", .bool)
            u.a <== bus.valid
            y <== u.q | bus.ready
            fsm.goto("done")
        }
        #expect(diagnostics(module) == [
            at(line, "instance 'u' has no port 'q'"),
            at(line + 1, "bundle 'bus' has no field 'ready'"),
            at(line + 6, "FSM has no state 'done' (states: idle, busy)"),
        ])
    }

    @Test func signalOfAnotherModule() {
        let outside = Module("Outside") {
            let y = Output("y", .bool)
            y <== 1
        }
        _ = outside
        var leaked: Signal?
        _ = Module("Leak") {
            let a = Input("a", .bool)
            let y = Output("y", .bool)
            y <== a
            let _ = { leaked = a }()
        }
        let line = #line + 3
        let module = Module("UsesLeak") {
            let y = Output("y", .bool)
            y <== leaked!
        }
        #expect(diagnostics(module) == [
            at(line, "a signal of another module (or declared outside a module body) is used in module 'UsesLeak'"),
            at(line - 1, "undriven: output 'y' is never assigned"),
        ])
    }

    @Test func everyProblemIsReportedTogether() {
        let line = #line + 5
        let module = Module("Many") {
            let a = Input("a", .uint(8))
            let y = Output("y", .uint(4))
            let z = Output("z", .uint(8))
            y <== a
            z <== a[8, 1]
        }
        #expect(diagnostics(module) == [
            at(line, "width mismatch: cannot assign a 8-bit value to 4-bit 'y' (use zext/sext/truncate)"),
            at(line + 1, "out-of-range slice [8:1] of a 8-bit value"),
        ])
    }
}
