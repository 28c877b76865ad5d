import Foundation
import Silicon
import Testing

/// The Liberty reader on the default OSU 0.18 um library and on hand-written text.
struct LibertyLibraryTests {
    static let osu = StandardCellLibrary.defaultLiberty

    @Test func readsTheOSULibrary() throws {
        let library = try LibertyLibrary(contentsOf: Self.osu)
        #expect(library.name == "osu018_stdcells")
        #expect(library.path == Self.osu.path)
        #expect(library.cells.count == 32)
        #expect(library.timeUnitNanoseconds == 1)
        #expect(library.capacitanceUnitPicofarads == 1)
        #expect(library.leakagePowerUnitWatts == 1e-9)
        #expect(library.nominalVoltage == 1.8)
        #expect(library.sha256.count == 64)

        let nand2 = try #require(library.nand2)
        #expect(nand2.name == "NAND2X1")
        #expect(nand2.area == 24)
        // INVX1 and INVX2 both have area 16: the first in file order wins.
        #expect(library.inverter?.name == "INVX1")

        let dffsr = try #require(library.cell(named: "DFFSR"))
        let flop = try #require(dffsr.storage)
        #expect(flop.kind == .flipFlop)
        #expect(flop.state == "P0002" && flop.invertedState == "P0003")
        #expect(flop.clock == .variable("CLK"))
        #expect(flop.next == .variable("D"))
        #expect(flop.clear == .not(.variable("R")))
        #expect(flop.preset == .not(.variable("S")))
        #expect(flop.clearPresetVar1 == "L")
        #expect(flop.clearPresetVar2 == nil)
        #expect(dffsr.pin(named: "Q")?.function == .variable("P0002"))
        #expect(dffsr.pin(named: "CLK")?.isClock == true)
        #expect(dffsr.inputs.map(\.name).sorted() == ["CLK", "D", "R", "S"])
        #expect(dffsr.leakagePower == 0.27727)

        #expect(library.cell(named: "DFFNEGX1")?.storage?.clock == .not(.variable("CLK")))
        let latch = try #require(library.cell(named: "LATCH"))
        #expect(latch.area == 0)
        #expect(latch.storage?.kind == .latch)
        #expect(latch.storage?.clock == .variable("CLK"))
        let tbuf = try #require(library.cell(named: "TBUFX1")?.pin(named: "Y"))
        #expect(tbuf.threeState == .not(.variable("EN")))
        #expect(library.cell(named: "FAX1")?.outputs.map(\.name) == ["YC", "YS"])
        #expect(library.cell(named: "NAND2X1")?.pin(named: "A")?.capacitance != nil)
        #expect(library.cells.filter(\.isSequential).map(\.name) == ["DFFNEGX1", "DFFPOSX1", "DFFSR", "LATCH"])
    }

    @Test func checksumIsOfTheFileBytes() throws {
        let library = try LibertyLibrary(contentsOf: Self.osu)
        let text = try String(contentsOf: Self.osu, encoding: .utf8)
        #expect(try LibertyLibrary(text: text).sha256 == library.sha256)
    }

    /// ps time, mW leakage, ff capacitance, `'` and `+` in functions, a dont_use cell, and a NAND
    /// and an inverter whose names say nothing.
    static let handWritten = """
        library (tiny) {
          time_unit : "10ps" ;
          leakage_power_unit : "1mW" ;
          capacitive_load_unit (1, ff) ;
          nom_voltage : 0.9 ;
          /* a multi-line
             comment */
          cell (g1) {
            area : 3.5 ;
            cell_leakage_power : 0.25 ;
            pin (a) { direction : input ; capacitance : 1.5 ; }
            pin (b) { direction : input ; }
            pin (y) { direction : output ; function : "a' + b'" ; }
          }
          cell (big_nand) {
            area : 9 ;
            pin (a, b) { direction : input ; }
            pin (y) { direction : output ; function : "!(a*b)" ; }
          }
          cell (cheap_but_banned) {
            area : 1 ;
            dont_use : true ;
            pin (a) { direction : input ; }
            pin (y) { direction : output ; function : "a'" ; }
          }
          cell (g2) {
            area : 2 ;
            pin (x) { direction : input ; }
            pin (z) { direction : output ; function : "(!x)" ; \\
            }
          }
        }
        """

    @Test func readsHandWrittenText() throws {
        let library = try LibertyLibrary(text: Self.handWritten)
        #expect(library.name == "tiny")
        #expect(library.path == nil)
        #expect(abs(library.timeUnitNanoseconds - 0.01) < 1e-15)
        #expect(library.leakagePowerUnitWatts == 1e-3)
        #expect(library.capacitanceUnitPicofarads == 1e-3)
        #expect(library.nominalVoltage == 0.9)
        #expect(library.cells.map(\.name) == ["g1", "big_nand", "cheap_but_banned", "g2"])
        let g1 = try #require(library.cell(named: "g1"))
        #expect(g1.area == 3.5 && g1.leakagePower == 0.25)
        #expect(g1.pin(named: "a")?.capacitance == 1.5)
        #expect(g1.pin(named: "y")?.function == .or([.not(.variable("a")), .not(.variable("b"))]))
        #expect(library.cell(named: "big_nand")?.inputs.map(\.name) == ["a", "b"])
        // g1 is a NAND by De Morgan and smaller than big_nand.
        #expect(library.nand2?.name == "g1")
        #expect(library.inverter?.name == "g2")
        #expect(library.cell(named: "cheap_but_banned")?.dontUse == true)
    }

    @Test func unitsAreScaled() throws {
        func library(_ units: String) throws -> LibertyLibrary {
            try LibertyLibrary(text: "library (u) { \(units) cell (c) { area : 1 ; } }")
        }
        #expect(try library("time_unit : \"1ps\" ;").timeUnitNanoseconds == 0.001)
        #expect(try library("time_unit : \"1ns\" ;").timeUnitNanoseconds == 1)
        #expect(try library("leakage_power_unit : \"1uW\" ;").leakagePowerUnitWatts == 1e-6)
        #expect(try library("leakage_power_unit : \"1pW\" ;").leakagePowerUnitWatts == 1e-12)
        #expect(try library("capacitive_load_unit (1,pf) ;").capacitanceUnitPicofarads == 1)
        #expect(try library("").nominalVoltage == nil)
    }
}
