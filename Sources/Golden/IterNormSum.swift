extension FloatFormat {
    /// The sum of `values` in the order a pipelined `lanes`-input adder tree followed by one
    /// accumulator register produces it (the IterNorm contract, docs/iternorm-architecture.md):
    /// per chunk of `lanes` values a balanced pairwise tree (lower index on the left), then
    /// `acc = T_0`, `acc = add(acc, T_j)` over the chunks in order.
    ///
    /// - Precondition: `lanes` is a power of two and `values.count` a nonzero multiple of it.
    public func treeAccumulate(_ values: [UInt64], lanes: Int) -> UInt64 {
        precondition(lanes >= 1 && lanes & (lanes - 1) == 0, "lanes must be a power of two")
        precondition(!values.isEmpty && values.count % lanes == 0, "whole chunks only")
        var acc: UInt64 = 0
        var level = [UInt64](repeating: 0, count: lanes)
        for chunk in 0..<(values.count / lanes) {
            for i in 0..<lanes { level[i] = values[chunk * lanes + i] }
            var width = lanes
            while width > 1 {
                width /= 2
                for i in 0..<width { level[i] = add(level[2 * i], level[2 * i + 1]) }
            }
            acc = chunk == 0 ? level[0] : add(acc, level[0])
        }
        return acc
    }
}
