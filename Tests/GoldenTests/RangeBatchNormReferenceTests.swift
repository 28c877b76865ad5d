import Foundation
import Golden
import Testing

/// The FP64 backward formulas of range batch norm against central finite differences of the FP64
/// forward (away from ties), and the tie rule.
@Suite struct RangeBatchNormReferenceTests {
    static let c = 1 / (2 * log(64.0 / 8)).squareRoot()

    static func loss(_ x: [Double], dy: [Double], gamma: Double, beta: Double) -> Double {
        let f = RangeBatchNormReference.forward(x, gamma: gamma, beta: beta, chunks: 8, c: c, eps: 1e-5)
        return zip(f.y, dy).reduce(0) { $0 + $1.0 * $1.1 }
    }

    @Test(arguments: 0..<20) func gradientsMatchFiniteDifferences(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed), stream: 15)
        let x = (0..<64).map { _ in Double.random(in: -3...3, using: &rng) }
        let dy = (0..<64).map { _ in Double.random(in: -1...1, using: &rng) }
        let gamma = Double.random(in: 0.5...1.5, using: &rng), beta = Double.random(in: -1...1, using: &rng)
        let f = RangeBatchNormReference.forward(x, gamma: gamma, beta: beta, chunks: 8, c: Self.c, eps: 1e-5)
        let b = RangeBatchNormReference.backward(f, dy: dy, gamma: gamma, chunks: 8, c: Self.c)
        let h = 1e-6
        for i in 0..<64 {
            var up = x, down = x
            up[i] += h; down[i] -= h
            let numeric = (Self.loss(up, dy: dy, gamma: gamma, beta: beta) - Self.loss(down, dy: dy, gamma: gamma, beta: beta)) / (2 * h)
            #expect(abs(numeric - b.dx[i]) <= 1e-6 * max(1, abs(numeric)), "x[\(i)]: \(numeric) vs \(b.dx[i])")
        }
        let dGamma = (Self.loss(x, dy: dy, gamma: gamma + h, beta: beta) - Self.loss(x, dy: dy, gamma: gamma - h, beta: beta)) / (2 * h)
        let dBeta = (Self.loss(x, dy: dy, gamma: gamma, beta: beta + h) - Self.loss(x, dy: dy, gamma: gamma, beta: beta - h)) / (2 * h)
        #expect(abs(dGamma - b.dgamma) <= 1e-6 * max(1, abs(dGamma)))
        #expect(abs(dBeta - b.dbeta) <= 1e-6 * max(1, abs(dBeta)))
    }

    /// Ties: the first index of a chunk's maximum and minimum takes the range gradient; an
    /// all-equal chunk has argmax = argmin, so its two range terms cancel.
    @Test func tiesGoToTheFirstIndex() {
        var x = (0..<64).map { Double($0 % 8) }
        x[3] = 7; x[7] = 7                        // chunk 0: maximum 7 at 3 and 7
        for i in 8..<16 { x[i] = 2 }              // chunk 1: all equal
        let f = RangeBatchNormReference.forward(x, gamma: 1, beta: 0, chunks: 8, c: Self.c, eps: 1e-5)
        #expect(f.argmax[0] == 3 && f.argmin[0] == 0)
        #expect(f.argmax[1] == 8 && f.argmin[1] == 8)
        let dy = (0..<64).map { Double($0) / 64 }
        let b = RangeBatchNormReference.backward(f, dy: dy, gamma: 1, chunks: 8, c: Self.c)
        let plain = f.scale * (dy[9] - dy.reduce(0, +) / 64)
        #expect(abs(b.dx[8] - f.scale * (dy[8] - dy.reduce(0, +) / 64)) < 1e-12)
        #expect(abs(b.dx[9] - plain) < 1e-12)
        #expect(b.dx[7] != b.dx[3])
    }
}
