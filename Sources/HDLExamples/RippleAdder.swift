import HDL

extension Examples {
    /// A one-bit full adder (the leaf of `rippleAdder`).
    public static func fullAdder() -> Module {
        Module("FullAdder") {
            let a = Input("a", .bool)
            let b = Input("b", .bool)
            let carryIn = Input("carry_in", .bool)
            let sum = Output("sum", .bool)
            let carryOut = Output("carry_out", .bool)
            sum <== a ^ b ^ carryIn
            carryOut <== (a && b) || (carryIn && (a ^ b))
        }
    }

    /// A hierarchical design: a `width`-bit ripple-carry adder made of `width` instances of one
    /// `FullAdder` module, with a registered result.
    public static func rippleAdder(width: Int = 4) -> Module {
        let cell = fullAdder()
        return Module("RippleAdder_w\(width)") {
            let a = Input("a", .uint(width))
            let b = Input("b", .uint(width))
            let sum = Output("sum", .uint(width + 1))
            let result = Reg("result", .uint(width + 1), reset: 0)
            let cells = (0..<width).map { Instance(cell, "fa\($0)") }
            for (i, fa) in cells.enumerated() {
                fa.a <== a[i]
                fa.b <== b[i]
                fa.carry_in <== (i == 0 ? Const(0, .bool) : cells[i - 1].carry_out)
            }
            result <== cat([cells[width - 1].carry_out] + cells.reversed().map(\.sum))
            sum <== result
        }
    }
}
