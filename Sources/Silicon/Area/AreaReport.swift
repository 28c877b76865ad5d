import Foundation

/// Standard-cell area of a mapped design, in the library's area unit (um^2 for every library
/// NormForge has met) and in NAND2 gate equivalents (area over the library's smallest 2-input
/// NAND), so that figures compare across technologies.
public struct AreaReport: Sendable, Codable, Hashable {
    /// Area of one module of the hierarchy.
    public struct ModuleArea: Sendable, Codable, Hashable {
        public var module: String
        /// Instances of this module in the whole design.
        public var instances: Int
        /// One instance's own cells (not its submodules'): combinational and sequential.
        public var cells: Int
        public var logicArea: Double
        public var flipFlopArea: Double
        /// One instance with everything under it.
        public var hierarchyArea: Double
        /// The module holds a parent's memories (flip-flop arrays).
        public var memories: Bool
    }

    public var library: String
    /// The reference cell of the gate equivalents and its area.
    public var nand2Cell: String
    public var nand2Area: Double
    /// The whole design: combinational logic, flip-flops outside memories, memories (their
    /// flip-flops and multiplexers), and the sum.
    public var logicArea: Double
    public var flipFlopArea: Double
    public var memoryArea: Double
    public var totalArea: Double
    public var memoryBits: Int
    public var cells: Int
    public var flipFlops: Int
    /// Cells of the whole design by library cell.
    public var cellsByType: [String: Int]
    public var modules: [ModuleArea]

    /// Total area in NAND2 gate equivalents.
    public var gateEquivalents: Double { totalArea / nand2Area }

    /// The area of `design`'s cells in `library`; throws when the library has no 2-input NAND to
    /// count gate equivalents by.
    public init(_ design: MappedDesign, library: LibertyLibrary) throws {
        guard let nand2 = library.nand2 else {
            throw LibertyError(path: library.path, line: nil, message: "library \(library.name) has no 2-input NAND cell to count gate equivalents by")
        }
        self.library = library.name
        nand2Cell = nand2.name
        nand2Area = nand2.area
        memoryBits = design.memoryBits
        let counts = design.instanceCounts
        var hierarchyAreas: [String: Double] = [:]
        func own(_ module: MappedModule) -> (logic: Double, flipFlops: Double) {
            var logic = 0.0, flipFlops = 0.0
            for (name, count) in module.cells {
                guard let cell = library.cell(named: name) else { continue }
                if cell.isSequential { flipFlops += cell.area * Double(count) } else { logic += cell.area * Double(count) }
            }
            return (logic, flipFlops)
        }
        func hierarchyArea(_ name: String) -> Double {
            if let known = hierarchyAreas[name] { return known }
            guard let module = design.module(named: name) else { return 0 }
            let (logic, flipFlops) = own(module)
            let area = logic + flipFlops + module.submodules.reduce(0) { $0 + Double($1.value) * hierarchyArea($1.key) }
            hierarchyAreas[name] = area
            return area
        }
        var logic = 0.0, flipFlopArea = 0.0, memory = 0.0, flipFlops = 0
        modules = design.modules.map { module in
            let (l, f) = own(module)
            let n = counts[module.name] ?? 0
            if module.holdsMemories { memory += (l + f) * Double(n) } else {
                logic += l * Double(n)
                flipFlopArea += f * Double(n)
                flipFlops += module.cells.filter { library.cell(named: $0.key)?.isSequential == true }.values.reduce(0, +) * n
            }
            return ModuleArea(module: module.name, instances: n, cells: module.cells.values.reduce(0, +),
                              logicArea: l, flipFlopArea: f, hierarchyArea: hierarchyArea(module.name),
                              memories: module.holdsMemories)
        }
        logicArea = logic
        self.flipFlopArea = flipFlopArea
        memoryArea = memory
        totalArea = logic + flipFlopArea + memory
        cellsByType = design.totalCells
        cells = cellsByType.values.reduce(0, +)
        self.flipFlops = flipFlops
    }
}
