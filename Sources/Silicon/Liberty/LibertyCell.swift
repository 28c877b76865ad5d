/// One cell of a Liberty library: its pins, area, leakage and state element.
public struct LibertyCell: Sendable, Hashable {
    public let name: String
    /// In the library's area unit (usually square micrometres).
    public let area: Double
    /// In file order; `pg_pin` (power) groups are not logical pins and are not listed.
    public let pins: [LibertyPin]
    /// The `ff` or `latch` group, for a sequential cell.
    public let storage: LibertyStorage?
    /// `cell_leakage_power`, in the library's leakage power unit.
    public let leakagePower: Double?
    /// `dont_use : true`: synthesis should not pick the cell.
    public let dontUse: Bool
    /// The line of `cell (NAME)`, for messages.
    public let line: Int
    /// Groups the reader keeps no model of (`statetable`, `ff_bank`, `bus`, ...): a cell that has
    /// any cannot be written as a Verilog model.
    public let unmodeledGroups: [String]

    public init(name: String, area: Double, pins: [LibertyPin], storage: LibertyStorage? = nil,
                leakagePower: Double? = nil, dontUse: Bool = false, line: Int = 0, unmodeledGroups: [String] = []) {
        self.name = name
        self.area = area
        self.pins = pins
        self.storage = storage
        self.leakagePower = leakagePower
        self.dontUse = dontUse
        self.line = line
        self.unmodeledGroups = unmodeledGroups
    }

    /// Pins with `direction : input`, in file order.
    public var inputs: [LibertyPin] { pins.filter { $0.direction == .input } }
    /// Pins with `direction : output`, in file order (`inout` pins are in neither list).
    public var outputs: [LibertyPin] { pins.filter { $0.direction == .output } }
    /// Has a flip-flop or latch.
    public var isSequential: Bool { storage != nil }

    public func pin(named name: String) -> LibertyPin? { pins.first { $0.name == name } }
}

/// The direction of a Liberty pin.
public enum LibertyPinDirection: String, Sendable, Hashable {
    case input, output, `inout`, `internal`
}

/// One logical pin of a cell.
public struct LibertyPin: Sendable, Hashable {
    public let name: String
    public let direction: LibertyPinDirection
    /// The output's Boolean function of inputs and state variables.
    public let function: LibertyExpression?
    /// `three_state`: the output is high impedance while this is true.
    public let threeState: LibertyExpression?
    /// In the library's capacitive load unit.
    public let capacitance: Double?
    /// `clock : true`.
    public let isClock: Bool

    public init(name: String, direction: LibertyPinDirection, function: LibertyExpression? = nil,
                threeState: LibertyExpression? = nil, capacitance: Double? = nil, isClock: Bool = false) {
        self.name = name
        self.direction = direction
        self.function = function
        self.threeState = threeState
        self.capacitance = capacitance
        self.isClock = isClock
    }
}

/// A cell's `ff (IQ, IQN) { ... }` or `latch (IQ, IQN) { ... }` group.
public struct LibertyStorage: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case flipFlop, latch }

    public let kind: Kind
    /// The state variable (`IQ`, `P0002`) output functions refer to.
    public let state: String
    /// Its complement's name (`IQN`).
    public let invertedState: String
    /// `next_state` (flip-flop) or `data_in` (latch); a latch without `data_in` has `0`.
    public let next: LibertyExpression
    /// `clocked_on` (the state loads on its rising edge) or `enable` (transparent while true);
    /// a latch without `enable` (a set/reset latch) has `0`.
    public let clock: LibertyExpression
    /// Asynchronous clear: the state is 0 while this is true.
    public let clear: LibertyExpression?
    /// Asynchronous preset: the state is 1 while this is true.
    public let preset: LibertyExpression?
    /// The state while both clear and preset are true: `L`, `H`, `N` (unchanged), `T`
    /// (toggled) or `X` (unknown).
    public let clearPresetVar1: Character?
    /// The same for the inverted state.
    public let clearPresetVar2: Character?

    public init(kind: Kind, state: String, invertedState: String, next: LibertyExpression, clock: LibertyExpression,
                clear: LibertyExpression? = nil, preset: LibertyExpression? = nil,
                clearPresetVar1: Character? = nil, clearPresetVar2: Character? = nil) {
        self.kind = kind
        self.state = state
        self.invertedState = invertedState
        self.next = next
        self.clock = clock
        self.clear = clear
        self.preset = preset
        self.clearPresetVar1 = clearPresetVar1
        self.clearPresetVar2 = clearPresetVar2
    }
}
