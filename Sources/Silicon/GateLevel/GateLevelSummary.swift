import Foundation

/// What a gate-level co-simulation adds to the run's report: the netlist it simulated and,
/// with toggle counting, the run's power and energy.
public struct GateLevelSummary: Sendable, Codable {
    public var library: String
    public var top: String
    public var cells: Int
    public var areaSquareMicrometres: Double
    public var gateEquivalents: Double
    /// Power at the clock from the run's own activity (`activity: simulated`), when counted.
    public var power: PowerReport?
    /// Clock cycles the run lasted, the units of work (vectors, blocks) and elements it carried,
    /// and the energy each took at the clock: power x period x cycles / count.
    public var cycles: UInt64?
    public var vectors: Int
    public var elements: Int
    public var picojoulesPerVector: Double?
    public var picojoulesPerElement: Double?

    public init(_ mapped: MappedDesign, library: LibertyLibrary, power: PowerReport?, cycles: UInt64?,
                vectors: Int, elements: Int) throws {
        let area = try AreaReport(mapped, library: library)
        self.library = library.name
        top = mapped.top
        cells = area.cells
        areaSquareMicrometres = area.totalArea
        gateEquivalents = area.gateEquivalents
        self.power = power
        self.cycles = cycles
        self.vectors = vectors
        self.elements = elements
        if let power, let cycles {
            let joules = power.picojoulesPerCycle * Double(cycles)
            picojoulesPerVector = vectors > 0 ? joules / Double(vectors) : nil
            picojoulesPerElement = elements > 0 ? joules / Double(elements) : nil
        }
    }

    /// One or two lines for a run's text report.
    public var text: String {
        var lines = ["gate level        \(top) on \(library): \(cells) cells, "
                     + String(format: "%.0f um^2 (%.1f kGE); netlist simulated with zero-delay cell models", areaSquareMicrometres, gateEquivalents / 1000)]
        if let power, let picojoulesPerVector, let picojoulesPerElement, let cycles {
            lines.append(String(format: "energy            %.1f pJ/vector, %.2f pJ/element at %.1f MHz (%.3f mW over %llu cycles; internal %.3f, switching %.3f mW); activity: simulated, %d of %d nets",
                                picojoulesPerVector, picojoulesPerElement, 1000 / power.periodNanoseconds, power.totalWatts * 1e3, cycles,
                                power.internalWatts * 1e3, power.switchingWatts * 1e3, power.annotatedNets, power.nets))
        }
        return lines.joined(separator: "\n")
    }
}
