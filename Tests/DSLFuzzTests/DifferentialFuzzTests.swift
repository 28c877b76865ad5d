import Cosim
import DSLFuzz
import Foundation
import Golden
import HDL
import Testing

/// The random designs are legal and reproducible, agree on every backend and front end, and
/// their mutants get exactly the expected diagnostic.
@Suite struct DifferentialFuzzTests {
    init() { ProjectTools.activate() }

    @Test func designsAreReproducibleAndElaborate() throws {
        for index in 0..<60 {
            let a = RandomModule(seed: 7, index: index, name: "probe\(index)")
            let b = RandomModule(seed: 7, index: index, name: "probe\(index)")
            let design = try Design(top: a.module)
            #expect(SystemVerilogEmitter().emitSingleText(design) == SystemVerilogEmitter().emitSingleText(try Design(top: b.module)))
            #expect(a.constructs == b.constructs)
        }
    }

    /// The default suite's run: a few hundred designs on the IR simulator, Verilator, Icarus and
    /// Yosys's netlist, with Verilator -Wall, slang, Yosys and the mutants (the tool bugs the
    /// fuzzer found each have a minimal test in FoundBugsTests).
    @Test func aSeededRunAgreesEverywhere() throws {
        let report = DifferentialFuzz(seed: 1, designs: 200, batchSize: 50, cycles: 100).run()
        #expect(report.passed, "\(report.failures.prefix(5))")
        #expect(report.designs == 200 && report.mutants == 200 && report.checks > 200 * 100 * 3)
        #expect(report.backends == ["ir-sim", "verilator", "icarus", "yosys-netlist"])
        #expect(Set(report.mutantKinds.keys) == Set(MutationKind.allCases.map(\.rawValue)))
    }

    /// Every mutation kind on many designs: exactly its diagnostic, at the mutated statement.
    @Test(arguments: MutationKind.allCases) func mutantsGetExactlyTheirDiagnostic(kind: MutationKind) throws {
        var made = 0
        for index in 0..<150 {
            var rng = SeededRandom(seed: 3, stream: UInt64(index))
            let design = RandomModule(seed: 3, index: index, name: "m\(index)")
            guard let mutant = Mutant(design.module, kind: kind, rng: &rng) else { continue }
            made += 1
            #expect(mutant.check() == nil, "design \(index): \(mutant.check() ?? "")")
            #expect(throws: ElaborationError.self) { try Design(top: mutant.module) }
        }
        #expect(made >= 100, "only \(made) \(kind) mutants")
    }

    /// A mutant whose expected diagnostic is wrong is reported, not passed.
    @Test func aWrongExpectationIsReported() throws {
        var rng = SeededRandom(seed: 3, stream: 0)
        let design = RandomModule(seed: 3, index: 0, name: "m0")
        let mutant = try #require(Mutant(design.module, kind: .undriven, rng: &rng))
        let legal = Mutant(copying: mutant, module: design.module)
        #expect(legal.check()?.hasPrefix("elaborated without a diagnostic") == true)
    }

    /// Shrinking keeps what the outputs depend on: a compacted legal design computes the same.
    @Test func compactionKeepsBehaviour() throws {
        for index in 0..<20 {
            let design = RandomModule(seed: 9, index: index, name: "c\(index)")
            let compact = Shrinker.compact(design.module)
            let a = try Testbench(try Design(top: design.module), backend: .irSim)
            let b = try Testbench(try Design(top: compact), backend: .irSim)
            var rng = SeededRandom(seed: 9, stream: UInt64(index))
            for tb in [a, b] where tb.design.ports.contains(where: { $0.name == "rst" }) { try tb.poke("rst", 1); try tb.step(); try tb.poke("rst", 0) }
            for _ in 0..<100 {
                for port in a.design.dataInputs where port.name != "rst" {
                    let value = BitVector(words: (0..<((port.width + 63) / 64)).map { _ in rng.next() }, width: port.width)
                    try a.poke(port.name, value); try b.poke(port.name, value)
                }
                for port in a.design.outputs { #expect(try a.peek(port.name) == (try b.peek(port.name))) }
                try a.step(); try b.step()
            }
        }
    }
}
