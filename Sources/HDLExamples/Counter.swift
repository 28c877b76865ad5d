import HDL

extension Examples {
    /// A `width`-bit up-counter with enable and synchronous reset to 0.
    public static func counter(width: Int = 8) -> Module {
        Module("Counter_w\(width)") {
            let enable = Input("enable", .bool)
            let count = Output("count", .uint(width))
            let value = Reg("value", .uint(width), reset: 0)
            When(enable) {
                value <== value &+ 1
            }
            count <== value
        }
    }
}
