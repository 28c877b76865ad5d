import Cosim
import Foundation

/// Where a power figure's switching activity came from.
public enum ActivitySource: String, Sendable, Codable {
    /// Each net's transitions counted in a gate-level simulation of the run's stimulus.
    case simulated
    /// OpenSTA's propagation of one activity set on every input (vectorless: a model, not a run).
    case propagated
}

/// OpenSTA's `report_power` of one design at a clock, and the energy it means per cycle.
public struct PowerReport: Sendable, Codable, Hashable {
    public var activity: ActivitySource
    /// Nets annotated with a simulated activity, and nets in the netlist (the rest OpenSTA
    /// propagates from the inputs).
    public var annotatedNets: Int
    public var nets: Int
    /// The activity set on the inputs for propagation (transitions per cycle).
    public var inputActivity: Double
    public var periodNanoseconds: Double
    /// Watts: cell-internal, net switching, leakage and their sum.
    public var internalWatts: Double
    public var switchingWatts: Double
    public var leakageWatts: Double
    public var totalWatts: Double

    /// Energy of one clock cycle, pJ.
    public var picojoulesPerCycle: Double { totalWatts * periodNanoseconds * 1e3 }
}

/// Runs `report_power` on a mapped design's flat netlist. OpenSTA 2.0.17 reads no VCD or SAIF,
/// and its `set_power_activity -pins` is broken (it reads a variable it never sets), so each
/// simulated net's activity goes on the net's pins through `sta::set_power_pin_activity`, the
/// command `set_power_activity` itself ends in. Duty cycles are not simulated: 0.5 throughout
/// (they weigh only state-dependent internal and leakage power).
public struct PowerAnalyzer: Sendable {
    public let timing: StaticTimingAnalyzer

    public init(_ timing: StaticTimingAnalyzer) { self.timing = timing }

    /// Power of `design`'s top at `periodNanoseconds`; with `toggles`, simulated activity on
    /// every net the simulation saw, else `inputActivity` propagated from the inputs.
    public func analyze(_ design: MappedDesign, clock: String?, periodNanoseconds: Double,
                        toggles: ToggleActivity? = nil, inputActivity: Double = 0.2) throws -> PowerReport {
        guard let netlist = design.timingNetlists[design.top] else {
            throw CosimError.unsupported("\(design.top) has no timing netlist")
        }
        var commands = try timing.constraints(clock: clock, periodNanoseconds: periodNanoseconds)
        commands.append("set_power_activity -input -activity \(inputActivity) -duty 0.5")
        // OpenSTA 2.0.17 segfaults in report_power once get_nets has returned some 50k nets or
        // more (a 2-lane IterNorm top has 165k), unless a report_power ran before: the
        // propagated report runs first and the nets are listed after it.
        commands.append("puts nf-power")
        commands.append("report_power -digits 6")
        commands.append("set nf_nets [get_nets *]")
        commands.append("puts \"nf-nets [llength $nf_nets]\"")
        if let toggles {
            // One Tcl array of activities by net name; each net OpenSTA has and the run saw gets it.
            let entries = toggles.transitions.keys.sorted().map { name in
                "{\(name)} \(String(format: "%.6g", toggles.activity(of: name) ?? 0))"
            }
            commands.append("array set nf_activity {\(entries.joined(separator: " "))}")
            commands.append("""
                set nf_annotated 0
                foreach net $nf_nets {
                  set name [get_full_name $net]
                  if {[info exists nf_activity($name)]} {
                    incr nf_annotated
                    foreach pin [get_pins -of_objects $net] { sta::set_power_pin_activity $pin $nf_activity($name) 0.5 }
                  }
                }
                puts "nf-annotated $nf_annotated"
                puts nf-power
                report_power -digits 6
                """)
        }
        let output = try timing.run(netlist: netlist, commands: commands, top: design.top)
        // The last report: the simulated one when there is one.
        let lines = output.split(separator: "\n")
        let report = lines[(lines.lastIndex(of: "nf-power") ?? lines.startIndex)...]
        guard let total = report.first(where: { $0.hasPrefix("Total ") }) else {
            throw CosimError.buildFailed("OpenSTA report_power printed no Total line for \(design.top)")
        }
        let watts = total.split(separator: " ").dropFirst().prefix(4).compactMap { Double($0) }
        guard watts.count == 4 else {
            throw CosimError.buildFailed("OpenSTA report_power: cannot read \(total)")
        }
        let nets = Int(StaticTimingAnalyzer.value(after: "nf-nets", in: output) ?? "") ?? 0
        let annotated = Int(StaticTimingAnalyzer.value(after: "nf-annotated", in: output) ?? "") ?? 0
        if toggles != nil && annotated == 0 {
            throw CosimError.simulationError("no net of \(design.top)'s netlist matched the simulated toggle counts")
        }
        return PowerReport(activity: toggles == nil ? .propagated : .simulated, annotatedNets: annotated, nets: nets,
                           inputActivity: inputActivity, periodNanoseconds: periodNanoseconds,
                           internalWatts: watts[0], switchingWatts: watts[1], leakageWatts: watts[2], totalWatts: watts[3])
    }
}
