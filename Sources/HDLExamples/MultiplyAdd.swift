import HDL

extension Examples {
    /// `y = a * b + c` in two pipeline stages (product, then sum), with a valid bit alongside.
    /// Full precision: the product has 2w bits, the sum 2w + 1.
    public static func multiplyAdd(width: Int = 16) -> Module {
        Module("MultiplyAdd_w\(width)") {
            let a = Input("a", .uint(width))
            let b = Input("b", .uint(width))
            let c = Input("c", .uint(2 * width))
            let validIn = Input("valid_in", .bool)
            let y = Output("y", .uint(2 * width + 1))
            let validOut = Output("valid_out", .bool)
            // Stage 1: the product and the addend that goes with it.
            let product = RegNext("product", a * b)
            let addend = RegNext("addend", c)
            let valid1 = RegNext("valid1", validIn, reset: 0)
            // Stage 2: the sum.
            let sum = RegNext("sum", product + addend)
            let valid2 = RegNext("valid2", valid1, reset: 0)
            y <== sum
            validOut <== valid2
        }
    }
}
