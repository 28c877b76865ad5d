import HDL

/// Where a unit's pipeline registers go: `stages` register levels, the first `stages - 1` at
/// the unit's internal cut points (documented per unit in `docs/fp-units.md`, most useful
/// first) and the rest at its output. `stages == 0` is combinational; a unit's latency is
/// `stages` cycles whatever the unit. Stages beyond the internal cut points are extra output
/// registers (for retiming by synthesis).
///
/// Registers are named `<name>_c<cut>_<k>` and `<name>_o<level>`, so two pipelined units in
/// one module need two names.
public struct FPPipeline: Sendable {
    /// The number of register levels between the operands and the result.
    public let stages: Int
    /// The clock enable of every register (1 bit), or nil for always enabled: 0 stalls the unit.
    public let enable: Signal?
    /// The prefix of the registers' names.
    public let name: String

    /// A combinational unit (no registers).
    public static let combinational = FPPipeline(validStages: 0, enable: nil, name: "")

    /// `stages` register levels named after `name`; throws `FPUnitError` for negative stages or
    /// an empty name.
    public init(stages: Int, enable: Signal? = nil, name: String) throws(FPUnitError) {
        guard stages >= 0 else { throw FPUnitError("pipeline stages must be >= 0, got \(stages)") }
        guard stages == 0 || !name.isEmpty else { throw FPUnitError("a pipelined unit needs a register name prefix") }
        self.init(validStages: stages, enable: enable, name: name)
    }

    init(validStages: Int, enable: Signal?, name: String) {
        self.stages = validStages
        self.enable = enable
        self.name = name
    }

    /// The same pipeline with its registers enabled by `enable` (1 bit): build the pipeline
    /// (which validates its parameters) before a module body, bind the enable signal inside it.
    public func enabled(by enable: Signal) -> FPPipeline {
        FPPipeline(validStages: stages, enable: enable, name: name)
    }

    /// Registers `values` when internal cut point `index` (0-based, in the unit's preference
    /// order) holds a register level.
    func cut(_ index: Int, _ values: [Signal]) -> [Signal] {
        guard index < stages - 1 else { return values }
        return values.enumerated().map { k, value in
            RegNext("\(name)_c\(index)_\(k)", value, enable: enable)
        }
    }

    /// The result after the output register levels: `stages` minus the `internalCuts` levels
    /// the unit places inside. `label` tells apart several outputs of one unit.
    func output(_ value: Signal, internalCuts: Int = 0, label: String = "") -> Signal {
        let levels = stages - min(internalCuts, max(stages - 1, 0))
        var result = value
        for level in 0..<levels {
            result = RegNext("\(name)_o\(level)\(label)", result, enable: enable)
        }
        return result
    }
}
