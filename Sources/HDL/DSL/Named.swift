extension Signal {
    /// Gives this value a name in the emitted Verilog: declares a wire called `name`, drives it
    /// with this value continuously (whatever `When` is open around the call) and returns the
    /// wire, so a reviewer reading the Verilog can follow the generator's algorithm instead of
    /// generated temporaries (`_y_14`).
    ///
    /// A name the module already uses gets a numeric suffix (`aligned_1`): a generator that
    /// computes the same intermediate twice in one module stays legal. Unnamed intermediates
    /// stay generated temporaries.
    ///
    /// ```swift
    /// let aligned = (small >> shift).named("aligned")
    /// ```
    public func named(_ name: String, fileID: String = #fileID, line: Int = #line) -> Signal {
        let poisoned = context.state.withLock { $0.nodes[id.index].poisoned }
        if poisoned { return self }
        let location = SourceLocation(fileID: fileID, line: line)
        let wire = context.declare(context.freshName(name), type, .wire, at: location)
        if var statement = context.statement(for: wire, self, report: { context.report($0, at: location) }) {
            statement.location = location
            context.addTopLevel(statement)
        }
        return wire
    }
}
