import Cosim
import Foundation

/// A mapped design as a simulator runs it: the hierarchical netlist and zero-delay models of the
/// library cells it instantiates, written from the Liberty functions (not the vendor's Verilog,
/// whose UDPs and `specify` blocks Verilator does not take), so that the gate-level check holds
/// for any library the mapping used.
public struct GateLevelNetlist: Sendable {
    public let design: MappedDesign
    public let sources: [VerilogSource]

    /// The file names of the two sources.
    public static let netlistFileName = "netlist.v"
    public static let cellsFileName = "cells.v"

    public init(_ design: MappedDesign, library: LibertyLibrary) throws {
        guard design.librarySHA256 == library.sha256 else {
            throw CosimError.unsupported("\(design.top) was mapped to another library than \(library.name)")
        }
        self.design = design
        let used = design.totalCells.keys.sorted()
        sources = [
            VerilogSource(fileName: Self.netlistFileName, text: design.netlist),
            // Toggle coverage of the cells' own ports would only repeat the nets they connect to
            // (and multiply the model's C++ six-fold).
            VerilogSource(fileName: Self.cellsFileName,
                          text: "/*verilator coverage_off*/\n" + (try CellModelWriter.verilog(library, cells: used))),
        ]
    }
}
