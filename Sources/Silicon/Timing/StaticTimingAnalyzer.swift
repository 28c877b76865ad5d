import Cosim
import Foundation

/// The longest path of one module at a clock, as OpenSTA reports it.
public struct TimingPath: Sendable, Codable, Hashable {
    /// Where the path starts and ends: a register's instance or a port, named after the design's
    /// signals (the mapping names each cell after the wire it drives).
    public var startpoint: String
    public var endpoint: String
    /// Arrival at the endpoint, ns (input delays 0, ideal clock).
    public var arrivalNanoseconds: Double
    /// Slack at the analysed clock period, ns (negative: the path does not close).
    public var slackNanoseconds: Double
    /// The shortest clock period this path allows (the period minus the slack): arrival plus the
    /// endpoint's setup time.
    public var minimumPeriodNanoseconds: Double
    /// Cells on the path.
    public var cells: Int
}

/// What OpenSTA found for one module.
public struct ModuleTiming: Sendable, Codable, Hashable {
    public var module: String
    /// The module clocks flip-flops from its clock port (else inputs and outputs are timed
    /// against a virtual clock: the input-to-output delay).
    public var clocked: Bool
    /// nil when the module has no timed path (no outputs, or constants only).
    public var path: TimingPath?
    public var seconds: Double
}

/// Runs OpenSTA 2.0.17 on the flat netlists of a mapped design. The boundary conditions are the
/// usual ones for a block compared across libraries: ideal inputs, outputs loaded with four inputs
/// of the library's smallest inverter (a fan-out of four), input and output delays
/// zero against an ideal clock on the clock port.
public struct StaticTimingAnalyzer: Sendable {
    public let library: LibertyLibrary
    public let locator: ToolLocator

    public init(library: LibertyLibrary, locator: ToolLocator = ToolLocator()) {
        self.library = library
        self.locator = locator
    }

    /// Times `module` of `design` at `periodNanoseconds` (a clock port named `clock`, when the
    /// module has one).
    public func analyze(_ design: MappedDesign, module: String, clock: String?, periodNanoseconds: Double) throws -> ModuleTiming {
        guard let netlist = design.timingNetlists[module] else {
            throw CosimError.unsupported("\(design.top) has no module \(module)")
        }
        return try analyze(netlist: netlist, top: module, clock: clock, periodNanoseconds: periodNanoseconds)
    }

    /// Times the flat netlist `netlist` with top module `top`.
    public func analyze(netlist: String, top: String, clock: String?, periodNanoseconds: Double) throws -> ModuleTiming {
        let start = Date()
        let output = try run(netlist: netlist, commands: constraints(clock: clock, periodNanoseconds: periodNanoseconds) + [
            "report_checks -path_delay max -digits 4",
            "puts \"nf-clocked [expr {[llength $nf_clock_ports] > 0}]\"",
            "puts \"nf-worst-slack [sta::worst_slack_cmd max]\"",
        ], top: top)
        let clocked = Self.value(after: "nf-clocked", in: output) == "1"
        var path: TimingPath?
        if let slackText = Self.value(after: "nf-worst-slack", in: output), let slackSeconds = Double(slackText),
           abs(slackSeconds) < 1, let parsed = Self.parsePath(output) {
            let slack = slackSeconds * 1e9
            path = TimingPath(startpoint: Self.signal(of: parsed.start, in: netlist),
                              endpoint: Self.signal(of: parsed.end, in: netlist), arrivalNanoseconds: parsed.arrival,
                              slackNanoseconds: slack, minimumPeriodNanoseconds: periodNanoseconds - slack,
                              cells: parsed.cells)
        }
        return ModuleTiming(module: top, clocked: clocked, path: path, seconds: Date().timeIntervalSince(start))
    }

    /// The clock, drive and load constraints shared by timing and power.
    func constraints(clock: String?, periodNanoseconds: Double) throws -> [String] {
        let load = try library.portDriver().fanOutOfFourLoad
        let period = String(format: "%.6g", periodNanoseconds / library.timeUnitNanoseconds)
        let clockName = clock ?? "clk"
        return [
            "set nf_clock_ports [get_ports -quiet {\(clockName)}]",
            "if {[llength $nf_clock_ports] > 0} { create_clock -name nf_clk -period \(period) $nf_clock_ports } else { create_clock -name nf_clk -period \(period) }",
            "set nf_inputs [all_inputs]",
            "if {[llength $nf_clock_ports] > 0} { set nf_inputs [delete_from_list $nf_inputs $nf_clock_ports] }",
            "set_input_delay 0 -clock nf_clk $nf_inputs",
            "set_output_delay 0 -clock nf_clk [all_outputs]",
            // Inputs ideal (zero transition): a control input fanning out to a thousand memory
            // enables would otherwise time the testbench's driver, not the design; an
            // integration buffers it.
            "set_input_transition 0 $nf_inputs",
            "set_load \(String(format: "%.6g", load)) [all_outputs]",
        ]
    }

    /// Runs OpenSTA on `netlist` with `commands` after linking; a Tcl error is an error here
    /// (OpenSTA's own exit status does not say).
    func run(netlist: String, commands: [String], top: String) throws -> String {
        let sta = try locator.path(of: .sta)
        guard let libraryPath = library.path else {
            throw CosimError.unsupported("the Liberty library \(library.name) must be read from a file for OpenSTA")
        }
        return try withScratchDirectory("sta-\(top)") { directory in
            try Self.constantsAsUndrivenNets(netlist)
                .write(to: directory.appendingPathComponent("netlist.v"), atomically: true, encoding: .utf8)
            // read_verilog and link_design report failure by their result, not by a Tcl error.
            let body = ["read_liberty {\(libraryPath)}",
                        "if {![read_verilog netlist.v]} { error \"cannot read the netlist\" }",
                        "if {![link_design \(top)]} { error \"cannot link \(top)\" }"] + commands
            let script = "if {[catch {\n" + body.joined(separator: "\n") + "\n} nf_error]} {\n  puts \"nf-error $nf_error\"\n  exit 1\n}\nputs \"nf-done\"\n"
            try script.write(to: directory.appendingPathComponent("run.tcl"), atomically: true, encoding: .utf8)
            let result = try ProcessRunner.run(executable: sta, ["-no_init", "-no_splash", "-exit", "run.tcl"], in: directory)
            let output = result.stdout + result.stderr
            guard result.succeeded, output.contains("nf-done") else {
                let error = Self.value(after: "nf-error", in: output) ?? String(output.suffix(1500))
                throw CosimError.buildFailed("OpenSTA on \(top): \(error)")
            }
            return output
        }
    }

    /// `netlist` with every 1-bit constant (`1'h0`, `1'b1`, ...) replaced by one of two undriven
    /// nets, `nf_const0` and `nf_const1`, declared in each module.
    ///
    /// OpenSTA 2.0.17 segfaults in `report_power` on some netlists with constant-tied pins (the
    /// range-BN units; bisected: the same netlist with the constants as undriven nets reports).
    /// An undriven net starts no timing path and carries no activity, as a constant does: the
    /// BFP converter's power Total and the range-BN unit's worst slack come out identical.
    static func constantsAsUndrivenNets(_ netlist: String) -> String {
        var out: [String] = []
        var inHeader = false
        for line in netlist.split(separator: "\n", omittingEmptySubsequences: false) {
            var text = String(line)
            if text.contains("1'") {
                let all = NSRange(text.startIndex..., in: text)
                text = oneBitZero.stringByReplacingMatches(in: text, range: all, withTemplate: "nf_const0")
                let rest = NSRange(text.startIndex..., in: text)
                text = oneBitOne.stringByReplacingMatches(in: text, range: rest, withTemplate: "nf_const1")
            }
            out.append(text)
            if text.hasPrefix("module ") { inHeader = true }
            if inHeader && text.hasSuffix(");") {
                out.append("  wire nf_const0, nf_const1;")
                inHeader = false
            }
        }
        return out.joined(separator: "\n")
    }

    // A 1-bit literal, not the tail of a wider one (`11'h0`).
    private static let oneBitZero = try! NSRegularExpression(pattern: "(?<![0-9])1'[hb][0xX]")
    private static let oneBitOne = try! NSRegularExpression(pattern: "(?<![0-9])1'[hb]1")

    /// The text after `key ` on the first line that starts with it.
    static func value(after key: String, in output: String) -> String? {
        for line in output.split(separator: "\n") where line.hasPrefix(key + " ") {
            return String(line.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Startpoint, endpoint, arrival and cell count of the first path of a `report_checks` report.
    static func parsePath(_ report: String) -> (start: String, end: String, arrival: Double, cells: Int)? {
        var start: String?, end: String?, arrival: Double?
        var cellInstances = Set<String>()
        for raw in report.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if start == nil, line.hasPrefix("Startpoint: ") {
                start = Self.pointName(line.dropFirst("Startpoint: ".count))
            } else if end == nil, line.hasPrefix("Endpoint: ") {
                end = Self.pointName(line.dropFirst("Endpoint: ".count))
            } else if arrival == nil, line.hasSuffix("data arrival time") {
                arrival = Double(line.split(separator: " ").first ?? "")
            } else if start != nil, arrival == nil, line.hasSuffix(")"), let open = line.lastIndex(of: "(") {
                // "0.168  0.377 ^ u1/_092_/Y (XOR2X1)": an instance pin on the path.
                let fields = line[..<open].split(separator: " ")
                if let pin = fields.last, let slash = pin.lastIndex(of: "/") { cellInstances.insert(String(pin[..<slash])) }
            }
        }
        guard let start, let end, let arrival else { return nil }
        return (start, end, arrival, cellInstances.count)
    }

    /// A path's start or end point by the design's signal: a register instance (`_30538_`, the
    /// mapping's name) as the wire its output drives (`s1_lanes[0]`, the RTL's register), a port
    /// as itself.
    static func signal(of point: String, in netlist: String) -> String {
        guard let instance = netlist.range(of: " \(point) (\n") else { return point }
        let body = netlist[instance.upperBound...].prefix { $0 != ";" }
        // The output connection: `.Q(\s1_lanes[0] )`, the last pin Yosys writes for a flip-flop.
        for pin in ["Q", "QN", "Y"] {
            guard let open = body.range(of: ".\(pin)(") else { continue }
            let net = body[open.upperBound...].prefix { $0 != ")" }.trimmingCharacters(in: .whitespaces)
            let name = net.hasPrefix("\\") ? String(net.dropFirst()) : net
            return name.hasPrefix("_") ? point : name
        }
        return point
    }

    /// "u0/_141_ (rising edge-triggered flip-flop clocked by clk)" -> "u0/_141_".
    private static func pointName(_ text: Substring) -> String {
        String(text.split(separator: " ").first ?? text)
    }
}
