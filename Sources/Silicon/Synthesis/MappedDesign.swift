import Foundation

/// One module of a design mapped to standard cells: the library cells it holds itself and the
/// instances of other modules of the design it holds (each module of the hierarchy is mapped once
/// and counted by its instances).
public struct MappedModule: Sendable, Codable, Hashable {
    public let name: String
    /// Library cells by cell name (this module only, not its submodules).
    public let cells: [String: Int]
    /// Instances of the design's other modules, by module name.
    public let submodules: [String: Int]
    /// Whether Yosys put this module together from the parent's memories (`<parent>_nf_memories`):
    /// its flip-flops and multiplexers are the memories' bits, reported apart from logic.
    public var holdsMemories: Bool { name.hasSuffix(MappedDesign.memoryModuleSuffix) }
}

/// A design mapped to one Liberty library by Yosys: the modules with their cells, the
/// hierarchical netlist (what the gate-level simulation runs) and one flat netlist per module in
/// the form OpenSTA 2.0.17's Verilog reader links (what static timing and power read).
public struct MappedDesign: Sendable, Codable {
    public let top: String
    public let libraryName: String
    public let librarySHA256: String
    /// The target clock abc mapped for (`abc -D`), when one was given.
    public let targetPeriodNanoseconds: Double?
    /// Every module under the top, the top first.
    public let modules: [MappedModule]
    /// Memory words and bits of the RTL, by memory (Yosys `$mem_v2` cells before mapping).
    public let memoryBits: Int
    /// The hierarchical netlist: one Verilog module per design module, library cells instantiated
    /// by their Liberty names.
    public let netlist: String
    /// Flat netlists (ports split into bits, no concatenations) by module name.
    public let timingNetlists: [String: String]
    /// Yosys version and wall time of the mapping run (not of a cached result).
    public let yosysVersion: String
    public let seconds: Double
    /// Whether this came from the cache rather than a Yosys run just now.
    public internal(set) var fromCache = false

    /// The suffix Yosys's `submod` gives the module it makes of a module's memories.
    public static let memoryModuleSuffix = "_nf_memories"

    private enum CodingKeys: String, CodingKey {
        case top, libraryName, librarySHA256, targetPeriodNanoseconds, modules, memoryBits, netlist,
             timingNetlists, yosysVersion, seconds
    }

    public func module(named name: String) -> MappedModule? { modules.first { $0.name == name } }

    /// How many times each module occurs in the hierarchy under the top (the top once).
    public var instanceCounts: [String: Int] {
        var counts: [String: Int] = [:]
        func visit(_ name: String, _ multiplicity: Int) {
            counts[name, default: 0] += multiplicity
            for (child, n) in module(named: name)?.submodules ?? [:] { visit(child, multiplicity * n) }
        }
        visit(top, 1)
        return counts
    }

    /// Library cells of the whole hierarchy, each module's cells times its instances.
    public var totalCells: [String: Int] {
        var total: [String: Int] = [:]
        for (name, n) in instanceCounts {
            for (cell, count) in module(named: name)?.cells ?? [:] { total[cell, default: 0] += count * n }
        }
        return total
    }
}
