import HDL

extension Examples {
    /// Sums `lanes` unsigned `width`-bit lanes of a flat input bus with a balanced tree of
    /// widening adders, one pipeline register per tree level; the result is exact.
    public static func adderTree(lanes: Int = 8, width: Int = 16) -> Module {
        let levels = max(0, Int.bitWidth - (max(lanes, 1) - 1).leadingZeroBitCount)
        return Module("AdderTree_l\(lanes)_w\(width)") {
            let bus = Input("lanes", .bits(lanes * width))
            let total = Output("total", .uint(width + levels))
            let sum = sumTree((0..<lanes).map { bus.lane($0, width: width) }, level: 0, width: width + levels)
            total <== sum
        }
    }

    /// One level of the tree per call: pairs are added (widening) and registered.
    private static func sumTree(_ values: [Signal], level: Int, width: Int) -> Signal {
        guard values.count > 1 else { return values[0].zext(to: width) }
        let sums = stride(from: 0, to: values.count, by: 2).map { i -> Signal in
            let pair = i + 1 < values.count ? values[i] + values[i + 1] : values[i].zext(to: values[i].width + 1)
            return RegNext("level\(level)_\(i / 2)", pair)
        }
        return sumTree(sums, level: level + 1, width: width)
    }
}
