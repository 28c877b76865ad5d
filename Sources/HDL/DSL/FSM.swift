/// A finite-state machine: a register holding one of a list of named states (binary encoded,
/// in list order), with helpers that refer to states by name.
///
/// ```swift
/// let fsm = FSM("state", states: ["idle", "run", "done"])   // resets to the first state
/// Switch(fsm.state) {
///     fsm.Case("idle") { When(start) { fsm.goto("run") } }
///     fsm.Case("run")  { When(last) { fsm.goto("done") } }
///     fsm.Case("done") { fsm.goto("idle") }
/// }
/// busy <== fsm.inState("run")
/// ```
public struct FSM: Sendable {
    /// The state register.
    public let state: Signal
    /// The state names; a state's encoding is its index.
    public let states: [String]

    /// Declares the state register; it resets to `initial` (the first state by default).
    public init(_ name: String, states: [String], initial: String? = nil, fileID: String = #fileID, line: Int = #line) {
        let location = SourceLocation(fileID: fileID, line: line)
        let ctx = ElaborationContext.active
        if states.isEmpty { ctx.report("FSM '\(name)' needs at least one state", at: location) }
        for (index, state) in states.enumerated() where states[..<index].contains(state) {
            ctx.report("duplicate name: state '\(state)' appears twice in FSM '\(name)'", at: location)
        }
        var resetIndex = 0
        if let initial {
            if let index = states.firstIndex(of: initial) { resetIndex = index } else {
                ctx.report("FSM '\(name)' has no state '\(initial)'", at: location)
            }
        }
        let width = bitsFor(max(states.count, 1) - 1)
        self.state = Reg(name, .uint(width), reset: resetIndex, fileID: fileID, line: line)
        self.states = states
    }

    private func code(_ name: String, at location: SourceLocation) -> Int? {
        if let index = states.firstIndex(of: name) { return index }
        state.context.report("FSM has no state '\(name)' (states: \(states.joined(separator: ", ")))", at: location)
        return nil
    }

    /// 1 while the machine is in state `name`.
    public func inState(_ name: String, fileID: String = #fileID, line: Int = #line) -> Signal {
        guard let code = code(name, at: SourceLocation(fileID: fileID, line: line)) else { return state.context.invalid(nil) }
        return state == code
    }

    /// Moves to state `name` at the next clock edge.
    @discardableResult
    public func goto(_ name: String, fileID: String = #fileID, line: Int = #line) -> Assignment {
        guard let code = code(name, at: SourceLocation(fileID: fileID, line: line)) else {
            return state <== state.context.invalid(nil, type: state.type)
        }
        return state <== code
    }

    /// A `Switch(fsm.state)` branch for the named states.
    public func Case(_ names: String..., fileID: String = #fileID, line: Int = #line,
                     @StatementBuilder body: () -> Void) -> CaseItem {
        let location = SourceLocation(fileID: fileID, line: line)
        let codes = names.compactMap { code($0, at: location) }
        return CaseItem(labels: .integers(codes), body: body, at: location)
    }
}
