import Foundation
import Synchronization

/// Throughput of the soft-float against the machine's own arithmetic on the same operands.
public struct SoftFloatThroughput: Sendable, Codable {
    /// Format name (`fp32`, `fp16`, `bf16`).
    public let format: String
    /// Operation (`add`, `mul`, `fma`).
    public let operation: String
    /// Soft-float operations per second.
    public let softOpsPerSecond: Double
    /// Native operations per second (`Float` for FP32, `Float16` for FP16, none for BF16).
    public let nativeOpsPerSecond: Double?
    /// Operations timed per measurement.
    public let operations: Int
}

/// Measures soft-float throughput: each figure is the best of `repeats` timed passes over a
/// fixed pool of seeded random finite operands (normal range, mixed signs), so that branch
/// prediction sees realistic data and the timings are reproducible. Time is the thread's CPU
/// time, so that other processes on a shared machine do not count against the figures.
public enum SoftFloatBenchmark {
    /// The operations measured, per format.
    public static let operations = ["add", "mul", "fma"]

    /// Runs the benchmark for `format` (fp32, fp16 or bf16) with about `operations` ops per pass.
    public static func measure(format: FloatFormat, operations count: Int = 4_000_000, repeats: Int = 5,
                               seed: UInt64 = 1) -> [SoftFloatThroughput] {
        let pool = 4096
        var rng = SeededRandom(seed: seed)
        // Magnitudes in [2^-8, 2^8) with random signs: no specials, few overflows.
        let values = (0..<pool).map { _ in
            format.fromDouble((rng.nextUnit() < 0.5 ? -1 : 1) * exp2(16 * rng.nextUnit() - 8))
        }
        let passes = Swift.max(1, count / pool)
        var results: [SoftFloatThroughput] = []
        for op in operations {
            let soft = best(repeats) { softPass(format, op, values, passes: passes) }
            let native = nativePass(format, op, values, passes: passes, repeats: repeats)
            results.append(SoftFloatThroughput(
                format: format.name, operation: op, softOpsPerSecond: Double(passes * pool) / soft,
                nativeOpsPerSecond: native.map { Double(passes * pool) / $0 }, operations: passes * pool))
        }
        return results
    }

    /// The shortest of `repeats` timings of `body`, in seconds.
    static func best(_ repeats: Int, _ body: () -> UInt64) -> Double {
        var fastest = Double.infinity
        var sink: UInt64 = 0
        for _ in 0..<repeats {
            let start = threadCPUSeconds()
            sink ^= body()
            fastest = Swift.min(fastest, threadCPUSeconds() - start)
        }
        // Publishing the sink keeps the optimizer from deleting the timed work.
        benchmarkSink.withLock { $0 ^= sink }
        return fastest
    }

    static func softPass(_ f: FloatFormat, _ op: String, _ v: [UInt64], passes: Int) -> UInt64 {
        switch op {
        case "add": return timedLoop(v, passes: passes) { a, b, _ in f.add(a, b) }
        case "mul": return timedLoop(v, passes: passes) { a, b, _ in f.mul(a, b) }
        default: return timedLoop(v, passes: passes) { a, b, c in f.fma(a, b, c) }
        }
    }

    /// Native timing for formats the machine has; nil for the others.
    static func nativePass(_ f: FloatFormat, _ op: String, _ v: [UInt64], passes: Int, repeats: Int) -> Double? {
        switch f.name {
        case "fp32":
            let x = v.map { Float(bitPattern: UInt32($0)) }
            return best(repeats) { nativeLoop(x, op, passes: passes) { UInt64($0.bitPattern) } }
        case "fp16":
            let x = v.map { Float16(bitPattern: UInt16($0)) }
            return best(repeats) { nativeLoop(x, op, passes: passes) { UInt64($0.bitPattern) } }
        default:
            return nil
        }
    }

    static func nativeLoop<T: BinaryFloatingPoint>(_ x: [T], _ op: String, passes: Int,
                                                  bits: (T) -> UInt64) -> UInt64 {
        switch op {
        case "add": return timedLoop(x, passes: passes) { a, b, _ in bits(a + b) }
        case "mul": return timedLoop(x, passes: passes) { a, b, _ in bits(a * b) }
        default: return timedLoop(x, passes: passes) { a, b, c in bits(c.addingProduct(a, b)) }
        }
    }

    /// Applies `body` to operand triples walking the pool at three offsets, xor-folding results.
    /// Inlined into each caller so that `body` is a direct call, not a closure call per op.
    @inline(__always)
    static func timedLoop<T>(_ v: [T], passes: Int, _ body: (T, T, T) -> UInt64) -> UInt64 {
        var sink: UInt64 = 0
        let n = v.count
        v.withUnsafeBufferPointer { p in
            for pass in 0..<passes {
                var j = pass % n
                for i in 0..<n {
                    sink ^= body(p[i], p[j], p[n - 1 - i])
                    j = j + 1 == n ? 0 : j + 1
                }
            }
        }
        return sink
    }
}


/// Where timed loops publish their results so that the optimizer keeps them.
let benchmarkSink = Mutex<UInt64>(0)

/// CPU time consumed by the calling thread, in seconds.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
