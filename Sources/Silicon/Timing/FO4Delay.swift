import Cosim
import Foundation

/// The library's fan-out-of-four inverter delay, measured with OpenSTA: the unit papers compare
/// clock periods in across technology nodes.
///
/// Two chains of the library's smallest inverter, every stage driving the next stage and three
/// more inverters (a fan-out of four), are timed from input to output; the delay per stage is the
/// difference of the two arrivals over the difference of the lengths, so that the chains' ends
/// (the input's drive, the last stage's load) cancel.
public struct FO4Delay: Sendable, Codable, Hashable {
    public var inverter: String
    public var picoseconds: Double
    public var stages: [Int]

    public static let shortChain = 4
    public static let longChain = 12

    public var nanoseconds: Double { picoseconds / 1000 }

    /// Measures it on `analyzer`'s library.
    public init(_ analyzer: StaticTimingAnalyzer) throws {
        guard let inverter = analyzer.library.inverter else {
            throw LibertyError(path: analyzer.library.path, line: nil, message: "library \(analyzer.library.name) has no inverter to measure the FO4 delay with")
        }
        var arrivals: [Double] = []
        for stages in [Self.shortChain, Self.longChain] {
            let top = "nf_fo4_chain_\(stages)"
            let timing = try analyzer.analyze(netlist: Self.chain(stages, inverter: inverter, module: top), top: top,
                                              clock: nil, periodNanoseconds: 100)
            guard let path = timing.path else {
                throw CosimError.buildFailed("OpenSTA timed no path through the \(inverter.name) chain")
            }
            arrivals.append(path.arrivalNanoseconds * analyzer.library.timeUnitNanoseconds)
        }
        self.inverter = inverter.name
        stages = [Self.shortChain, Self.longChain]
        picoseconds = (arrivals[1] - arrivals[0]) / Double(Self.longChain - Self.shortChain) * 1000
    }

    /// `stages` inverters in a row, each loaded by three more.
    static func chain(_ stages: Int, inverter: LibertyCell, module: String) -> String {
        let a = inverter.inputs[0].name, y = inverter.outputs[0].name
        var lines = ["module \(module) (in, out);", "  input in;", "  output out;"]
        lines += (1..<stages).map { "  wire s\($0);" }
        for stage in 0..<stages {
            let input = stage == 0 ? "in" : "s\(stage)"
            let output = stage == stages - 1 ? "out" : "s\(stage + 1)"
            lines.append("  \(inverter.name) u\(stage) (.\(a)(\(input)), .\(y)(\(output)));")
            for load in 0..<3 { lines.append("  \(inverter.name) l\(stage)_\(load) (.\(a)(\(output)), .\(y)());") }
        }
        lines.append("endmodule")
        return lines.joined(separator: "\n") + "\n"
    }
}
