import Foundation

/// Range batch normalization of one channel in FP64 (LightNorm's definition, docs/bfp.md), forward
/// and backward: the independent reference the FP32 golden model's passes are checked against.
///
/// Forward: mu = mean(x); R = (1/K) sum over chunks of (max - min); s = 1 / (R C + eps);
/// xhat = (x - mu) s; y = gamma xhat + beta. Backward, with g = dL/dy and g' = gamma g:
/// dbeta = sum g; dgamma = sum g xhat; dR = -C s sum g' xhat;
/// dx_i = s (g'_i - mean g') + (dR / K) ([i is its chunk's argmax] - [i is its chunk's argmin]).
/// A chunk's argmax and argmin are its first index holding the maximum and the minimum.
public enum RangeBatchNormReference {
    public struct Forward: Sendable {
        public var y: [Double]
        public var mean: Double
        public var range: Double
        public var scale: Double
        public var xhat: [Double]
        /// Per chunk: the index (into x) of the first maximum and of the first minimum.
        public var argmax: [Int]
        public var argmin: [Int]
    }

    public struct Backward: Sendable {
        public var dx: [Double]
        public var dgamma: Double
        public var dbeta: Double
        /// dL/dR, the gradient reaching the range.
        public var dRange: Double
    }

    public static func forward(_ x: [Double], gamma: Double, beta: Double, chunks: Int, c: Double, eps: Double) -> Forward {
        let n = x.count, m = n / chunks
        let mean = x.reduce(0, +) / Double(n)
        var argmax: [Int] = [], argmin: [Int] = []
        var rangeSum = 0.0
        for j in 0..<chunks {
            var hi = j * m, lo = j * m
            for i in (j * m)..<((j + 1) * m) {
                if x[i] > x[hi] { hi = i }
                if x[i] < x[lo] { lo = i }
            }
            argmax.append(hi)
            argmin.append(lo)
            rangeSum += x[hi] - x[lo]
        }
        let range = rangeSum / Double(chunks)
        let scale = 1 / (range * c + eps)
        let xhat = x.map { ($0 - mean) * scale }
        return Forward(y: xhat.map { gamma * $0 + beta }, mean: mean, range: range, scale: scale, xhat: xhat,
                       argmax: argmax, argmin: argmin)
    }

    public static func backward(_ f: Forward, dy: [Double], gamma: Double, chunks: Int, c: Double) -> Backward {
        let n = dy.count
        let gp = dy.map { gamma * $0 }
        let meanGp = gp.reduce(0, +) / Double(n)
        let gpXhat = zip(gp, f.xhat).reduce(0) { $0 + $1.0 * $1.1 }
        let dRange = -c * f.scale * gpXhat
        var dx = gp.map { f.scale * ($0 - meanGp) }
        for j in 0..<chunks {
            dx[f.argmax[j]] += dRange / Double(chunks)
            dx[f.argmin[j]] -= dRange / Double(chunks)
        }
        return Backward(dx: dx, dgamma: zip(dy, f.xhat).reduce(0) { $0 + $1.0 * $1.1 }, dbeta: dy.reduce(0, +), dRange: dRange)
    }
}
