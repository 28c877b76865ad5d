/// A functional coverage point: `condition` (1 bit) is a case the verification must reach, such
/// as "a rounding tie" or "the output stalled". A coverage run (`normforge cosim ... --coverage`)
/// counts the cycles it was 1 and reports points never hit; other simulators and synthesis see a
/// plain wire nobody reads.
///
/// Call it in the module body, outside `When`/`Switch` (the condition is not qualified by an
/// enclosing branch: fold that into the expression). It declares the 1-bit wire
/// `cover_<name>`; as with `.named`, a name already used in the module gets a suffix
/// (`<name>_1`), so a helper that declares points can run twice in one module.
///
/// ```swift
/// Cover("tie", roundBit & ~stickyBit)
/// ```
public func Cover(_ name: String, _ condition: Signal, fileID: String = #fileID, line: Int = #line) {
    let ctx = ElaborationContext.active
    let location = SourceLocation(fileID: fileID, line: line)
    guard ctx.owns(condition, at: location) else { return }
    guard condition.type.width == 1 else {
        ctx.report("cover point '\(name)': the condition must be 1 bit, got \(condition.type)", at: location)
        return
    }
    guard ctx.isAtModuleBody else {
        ctx.report("cover point '\(name)' inside When/Switch: declare it in the module body and put the branch condition in its expression",
                   at: location)
        return
    }
    let wireName = ctx.freshName("cover_\(name)")
    let wire = ctx.declare(wireName, .bool, .wire, at: location)
    guard let declaration = wire.declaration else { return }
    ctx.addTopLevel(Statement(.assign(target: declaration, value: condition.id), location: location))
    let point = CoverPoint(name: String(wireName.dropFirst("cover_".count)), signal: declaration, location: location)
    ctx.state.withLock { $0.coverPoints.append(point) }
}

extension ElaborationContext {
    /// Whether statements appended now land in the module body itself (not in a branch).
    var isAtModuleBody: Bool { state.withLock { $0.blocks.count <= 1 } }
}
