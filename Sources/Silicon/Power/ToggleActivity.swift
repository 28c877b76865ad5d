import Cosim
import Foundation

/// How often each net of a gate-level simulation switched: Verilator's toggle coverage of the
/// netlist (both directions of every bit counted), by net name in the flattened netlist's form
/// (`u_add.n42`, `sum[3]`: the instance path under the top joined by dots, then the signal).
public struct ToggleActivity: Sendable, Codable {
    /// Transitions of each net over the run.
    public var transitions: [String: UInt64]
    /// Rising edges of the clock seen at the top: the cycles the run lasted.
    public var cycles: UInt64

    /// Reads a `coverage.dat` written by a Verilator model of `top` built with toggle coverage
    /// of every signal (`--coverage-toggle --coverage-underscore`); `clock` is the top's clock port.
    public init(coverage text: String, top: String, clock: String) throws {
        var transitions: [String: UInt64] = [:]
        var cycles: UInt64 = 0
        let root = "TOP.\(top)"
        for (fields, count) in CoverageReport.records(text) where fields["t"] == "toggle" {
            guard let comment = fields["o"], let scope = fields["h"], scope == root || scope.hasPrefix(root + "."),
                  let arrow = comment.range(of: ":", options: .backwards) else { continue }
            let signal = Self.plain(String(comment[..<arrow.lowerBound]))
            let path = scope.dropFirst(root.count).split(separator: ".").map { Self.plain(String($0)) }
            let name = (path + [signal]).joined(separator: ".")
            transitions[name, default: 0] += count
            if path.isEmpty && signal == clock && comment.hasSuffix("0->1") { cycles = count }
        }
        guard cycles > 0 else {
            throw CosimError.simulationError("the toggle coverage of \(top) shows no rising edge of \(clock)")
        }
        self.transitions = transitions
        self.cycles = cycles
    }

    /// A net's transitions per clock cycle (OpenSTA's activity: a clock has 2).
    public func activity(of net: String) -> Double? {
        transitions[net].map { Double($0) / Double(cycles) }
    }

    /// A name as Verilator's coverage writes it, as the netlist spells it: Verilator encodes the
    /// characters of an escaped identifier that C++ names cannot hold as `__0` and two hex digits
    /// (`mem__05b3__05d` is `mem[3]`) and a hierarchy dot as `__DOT__`.
    static func plain(_ name: String) -> String {
        var name = name.replacingOccurrences(of: "__DOT__", with: ".")
        if name.hasPrefix("\\") { name.removeFirst() }
        var decoded = ""
        var rest = Substring(name)
        while let range = rest.range(of: "__0") {
            let hex = rest[range.upperBound...].prefix(2)
            guard hex.count == 2, let code = UInt8(hex, radix: 16) else {
                decoded += rest[..<range.upperBound]
                rest = rest[range.upperBound...]
                continue
            }
            decoded += rest[..<range.lowerBound] + String(UnicodeScalar(code))
            rest = rest[rest.index(range.upperBound, offsetBy: 2)...]
        }
        return (decoded + rest).trimmingCharacters(in: .whitespaces)
    }
}
