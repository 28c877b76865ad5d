import Cosim
import Golden
import HDL

/// How the lanes of a bus decode for a mismatch report: their width and what one lane's bits mean.
public struct LaneLayout: Sendable {
    /// Bits per lane (lane 0 in the low bits of the bus).
    public let width: Int
    private let render: @Sendable (UInt64) -> String

    /// Lanes decoded with `describe`.
    public init(width: Int, describe: @escaping @Sendable (UInt64) -> String) {
        self.width = width
        render = describe
    }

    /// Floating-point lanes: sign, exponent, fraction and value.
    public static func float(_ format: FloatFormat) -> LaneLayout {
        LaneLayout(width: format.width) { "0x\(String($0, radix: 16)) (\(MismatchFormatter.decode($0, format)))" }
    }

    /// Integer lanes of `width` bits, shown in hex and (two's complement when `signed`) in decimal.
    public static func integer(width: Int, signed: Bool) -> LaneLayout {
        LaneLayout(width: width) { bits in
            let value = signed && width < 64 && bits >> UInt64(width - 1) & 1 == 1
                ? Int64(bitPattern: bits) - (Int64(1) << Int64(width)) : Int64(bitPattern: bits)
            return "0x\(String(bits, radix: 16)) (\(value))"
        }
    }

    /// What lane `bits` means.
    public func describe(_ bits: UInt64) -> String { render(bits) }

}

/// One output check that failed, located in the stimulus and decoded.
public struct CircuitMismatch: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The stimulus item (IterNorm vector, BFP block) the checked output belongs to; `nil` for a
    /// handshake that only the Icarus replay disagreed on.
    public var vector: Int?
    /// Rising clock edges before the comparison.
    public var cycle: Int
    public var port: String
    /// Where in the stimulus item (`beat 2`, `vector 3 (zeros) beat 1`) and the differing lanes,
    /// expected and actual, decoded.
    public var message: String

    public var description: String { "cycle \(cycle), \(port): \(message)" }
}

/// A circuit co-simulation on one backend: Cosim's `Testbench` plus golden checks labelled with
/// the stimulus item they belong to, so that a mismatch reads as "vector 3 beat 1, cycle 57,
/// lane 5: expected ..., got ..." on every backend.
///
/// Every check is a `Testbench.expect`: Verilator and the IR simulator compare on the spot; on
/// `.icarus` the IR simulator (or Verilator) runs the test and Icarus replays it in `finish()`,
/// checking every expected value and every observed handshake; its mismatches are mapped back
/// to their labels by cycle.
public final class CircuitTestbench {
    public let testbench: Testbench
    public var backend: SimulationBackend { testbench.backend }
    private let layouts: [String: LaneLayout]
    private let maxReports: Int
    /// Label of the check made at a cycle on a port: the key is "cycle port".
    private var labels: [String: (vector: Int, label: String)] = [:]
    /// The streams run through `stream`: their first check and how to label an item.
    private var streams: [(firstCheck: Int, checksPerItem: Int, items: Int, ports: Set<String>,
                           label: (Int) -> (vector: Int, label: String))] = []

    /// A testbench for `design` on `backend`; `layouts` decodes the checked buses (ports without
    /// one are shown in hex); at most `options.maxReports` mismatches are kept (all are counted).
    public init(_ design: Design, backend: SimulationBackend, layouts: [String: LaneLayout] = [:],
                options: TestbenchOptions = TestbenchOptions()) throws {
        testbench = try Testbench(design, backend: backend, options: options)
        self.layouts = layouts
        maxReports = options.maxReports
    }

    /// Drives an input port.
    public func poke(_ port: String, _ value: some PortValueConvertible) throws { try testbench.poke(port, value) }

    /// Drives a lane bus (lane 0 in the low bits).
    public func poke(_ port: String, lanes: [UInt64], width: Int) throws {
        try testbench.poke(port, BitVector(lanes: lanes, laneWidth: width))
    }

    /// Reads a handshake the driver steers by (recorded as a check for the Icarus replay).
    public func observe(_ port: String) throws -> Bool { try testbench.observe(port).low64 & 1 == 1 }

    /// Runs `cycles` rising clock edges.
    public func step(_ cycles: Int = 1) throws { try testbench.step(cycles) }

    /// Rising clock edges so far.
    public var cycle: Int { testbench.cycle }

    /// Checks `port` against `expected` now; a mismatch is reported with `vector` and `label`
    /// (made only for a check that failed, or for every check on `.icarus`, whose mismatches are
    /// known only after the replay: millions of passing checks cost no label).
    public func expect(_ port: String, _ expected: some PortValueConvertible, vector: Int,
                       label: @autoclosure () -> String) throws {
        let failedBefore = testbench.failed
        try testbench.expect(port, expected)
        if backend == .icarus || testbench.failed > failedBefore {
            labels["\(testbench.cycle) \(port)"] = (vector, label())
        }
    }

    /// Checks a lane bus against the golden lanes now.
    public func expect(_ port: String, lanes: [UInt64], width: Int, vector: Int, label: @autoclosure () -> String) throws {
        try expect(port, BitVector(lanes: lanes, laneWidth: width), vector: vector, label: label())
    }

    /// Streams `items` into `source` and checks each item received from `sink` against
    /// `expected` (Testbench.stream: seeded bubbles and back-pressure); a mismatch is reported
    /// with `label(i)` of the expected item it belongs to. Every expected item checks the same ports.
    public func stream(_ items: [[String: any PortValueConvertible]], into source: StreamInterface,
                       expect expected: [[String: any PortValueConvertible]], from sink: StreamInterface,
                       options: StreamOptions, label: @escaping (Int) -> (vector: Int, label: String)) throws -> Int {
        streams.append((testbench.checkCycles.count, expected.first?.count ?? 1, expected.count, Set(sink.data), label))
        return try testbench.stream(items, into: source, expect: expected, from: sink, options: options)
    }

    /// Ends the test (on `.icarus`: runs the replay). Returns the failed checks and the first
    /// `maxReports` of them, decoded.
    public func finish() throws -> (count: Int, mismatches: [CircuitMismatch]) {
        let report: CheckReport
        do { report = try testbench.finish() } catch let failure as TestbenchFailure { report = failure.report }
        return (report.failed, report.mismatches.prefix(maxReports).map(describe))
    }

    /// The label of a stream item checked at `cycle`: the first check made at that cycle (every
    /// backend reports the cycle; Icarus numbers its mismatches by replay vector, not by check).
    private func streamLabel(cycle: Int, port: String) -> (vector: Int, label: String)? {
        let cycles = testbench.checkCycles
        var low = 0, high = cycles.count
        while low < high {
            let mid = (low + high) / 2
            if cycles[mid] < cycle { low = mid + 1 } else { high = mid }
        }
        guard low < cycles.count, cycles[low] == cycle,
              let s = streams.last(where: { $0.firstCheck <= low }), s.ports.contains(port) else { return nil }
        let item = (low - s.firstCheck) / max(s.checksPerItem, 1)
        return item < s.items ? s.label(item) : nil
    }

    private func describe(_ mismatch: Mismatch) -> CircuitMismatch {
        let port = mismatch.port.name
        let label = labels["\(mismatch.cycle) \(port)"] ?? streamLabel(cycle: mismatch.cycle, port: port)
        var parts = [label?.label ?? "handshake"]
        if let layout = layouts[port], mismatch.port.width % layout.width == 0 {
            let expected = mismatch.expected.lanes(width: layout.width)
            let actual = mismatch.actual.map { $0.lanes(width: layout.width) }
            for lane in expected.indices where actual?[lane] != expected[lane] {
                parts.append("lane \(lane): expected \(layout.describe(expected[lane])), got "
                             + (actual.map { layout.describe($0[lane]) } ?? "x/z"))
            }
        } else {
            parts.append("expected 0x\(mismatch.expected.hexDigits), got 0x\(mismatch.actualText)")
        }
        return CircuitMismatch(vector: label?.vector, cycle: mismatch.cycle, port: port,
                               message: parts.joined(separator: "; "))
    }
}
