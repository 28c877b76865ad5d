import Foundation
import HDL
import Testing

/// Elaboration, checks and emission of a large generated design (hundreds of thousands of
/// expression nodes), to keep those passes near-linear. Behind `NORMFORGE_LONG=1`; prints the
/// figures: `NORMFORGE_LONG=1 swift test -c release --filter LargeDesignTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1"))
struct LargeDesignTests {
    /// `lanes` lanes of `stages` pipelined normalize-multiply-add steps on 32-bit values,
    /// reduced by an adder tree.
    static func design(lanes: Int, stages: Int) -> Module {
        Module("LaneStages_l\(lanes)_s\(stages)") {
            let a = Input("a", .bits(lanes * 32))
            let b = Input("b", .bits(lanes * 32))
            let y = Output("y", .uint(32))
            var results: [Signal] = []
            for lane in 0..<lanes {
                var x = a.lane(lane, width: 32)
                let k = b.lane(lane, width: 32)
                for stage in 0..<stages {
                    let product = (x * k).truncate(to: 32) &+ (x ^ k)
                    let shift = leadingZeros(product)
                    let normalized = product &<< shift.zext(to: 32)
                    x = RegNext("lane\(lane)_s\(stage)", normalized ^ shift.zext(to: 32))
                }
                results.append(x)
            }
            y <== sum(results)
        }
    }

    static func sum(_ values: [Signal]) -> Signal {
        values.count == 1 ? values[0] : sum(stride(from: 0, to: values.count, by: 2).map { values[$0] &+ values[$0 + 1] })
    }

    @Test(arguments: [(16, 4), (64, 4), (64, 16)])
    func elaboratesChecksAndEmitsInNearLinearTime(_ size: (Int, Int)) throws {
        let clock = ContinuousClock()
        var module: Module!
        let elaborate = clock.measure { module = Self.design(lanes: size.0, stages: size.1) }
        var design: Design!
        let check = try clock.measure { design = try Design(top: module) }
        var files: [EmittedFile] = []
        let emit = clock.measure { files = SystemVerilogEmitter().emit(design) }
        let bytes = files.reduce(0) { $0 + $1.text.utf8.count }
        print("large design lanes=\(size.0) stages=\(size.1): nodes=\(module.nodes.count) elaborate=\(elaborate) check=\(check) emit=\(emit) sv=\(bytes) bytes")
        #expect(files.count == 1)
        #expect(module.signals.count == 3 + size.0 * size.1 + 1)
    }
}
