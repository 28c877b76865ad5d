/// A block of statements being built: the module body or one branch of a `When`/`Switch`.
///
/// Statements are appended as the DSL calls run. `<==` is an operator and cannot take the caller's
/// line as a default argument, so its statement (or its diagnostic) enters the block unlocated and
/// receives a location from `StatementBuilder` right after: the assignment's own line when it is
/// written in a body, the call's line when it comes from a helper function, the block's line when
/// nothing closer is known.
struct OpenBlock {
    let id: Int
    let location: SourceLocation
    var statements: [Statement] = []
    /// Statement indices and diagnostics waiting for a location, oldest first.
    var unlocated: [Unlocated] = []

    enum Unlocated {
        case statement(Int)
        case diagnostic(String)
    }
}

/// What an assignment appends before its location is known.
enum BlockEntry {
    case statement(Statement)
    case diagnostic(String)
}

/// Where an appended statement sits, so that `When.ElseWhen`/`Otherwise` can extend it.
struct StatementHandle: Sendable {
    let block: Int
    let index: Int
}

extension SourceLocation {
    /// The placeholder of an unlocated statement; replaced before the block closes.
    static let unknown = SourceLocation(fileID: "", line: 0)
}

extension ElaborationContext {
    /// Runs `body` with a new innermost block and returns the statements it appended.
    func collect(at location: SourceLocation, _ body: () -> Void) -> [Statement] {
        state.withLock { s in
            s.blocks.append(OpenBlock(id: s.nextBlockID, location: location))
            s.nextBlockID += 1
        }
        body()
        return state.withLock { s in
            var block = s.blocks.removeLast()
            Self.locate(block.unlocated[...], in: &block, at: block.location, diagnostics: &s.diagnostics)
            return block.statements
        }
    }

    /// Appends a statement whose location is known; returns where it sits.
    @discardableResult
    func append(_ statement: Statement) -> StatementHandle? {
        state.withLock { s in
            guard !s.blocks.isEmpty else { return nil }
            s.blocks[s.blocks.count - 1].statements.append(statement)
            return StatementHandle(block: s.blocks[s.blocks.count - 1].id,
                                   index: s.blocks[s.blocks.count - 1].statements.count - 1)
        }
    }

    /// Replaces the statement at `handle`; false when its block is no longer open.
    func replace(_ handle: StatementHandle, with statement: Statement) -> Bool {
        state.withLock { s in
            guard let b = s.blocks.firstIndex(where: { $0.id == handle.block }) else { return false }
            s.blocks[b].statements[handle.index] = statement
            return true
        }
    }

    /// Appends statements and diagnostics that wait for a location.
    func appendUnlocated(_ entries: [BlockEntry]) {
        state.withLock { s in
            guard !s.blocks.isEmpty else { return }
            let top = s.blocks.count - 1
            for entry in entries {
                switch entry {
                case .statement(let statement):
                    s.blocks[top].statements.append(statement)
                    s.blocks[top].unlocated.append(.statement(s.blocks[top].statements.count - 1))
                case .diagnostic(let message):
                    s.blocks[top].unlocated.append(.diagnostic(message))
                }
            }
        }
    }

    /// Locates the newest `count` unlocated entries of the innermost block.
    func locateNewest(_ count: Int, at location: SourceLocation) {
        guard count > 0 else { return }
        state.withLock { s in
            guard !s.blocks.isEmpty else { return }
            var block = s.blocks.removeLast()
            let newest = block.unlocated.suffix(count)
            block.unlocated.removeLast(newest.count)
            Self.locate(newest, in: &block, at: location, diagnostics: &s.diagnostics)
            s.blocks.append(block)
        }
    }

    /// Locates every unlocated entry of the innermost block.
    func locateAll(at location: SourceLocation) {
        state.withLock { s in
            guard !s.blocks.isEmpty else { return }
            var block = s.blocks.removeLast()
            Self.locate(block.unlocated[...], in: &block, at: location, diagnostics: &s.diagnostics)
            block.unlocated = []
            s.blocks.append(block)
        }
    }

    private static func locate(_ entries: ArraySlice<OpenBlock.Unlocated>, in block: inout OpenBlock,
                               at location: SourceLocation, diagnostics: inout [Diagnostic]) {
        for entry in entries {
            switch entry {
            case .statement(let index): block.statements[index].location = location
            case .diagnostic(let message): diagnostics.append(Diagnostic(message, at: location))
            }
        }
    }
}
