// Declarations of named signals inside a module body. Each captures the caller's line for
// diagnostics; names are kept in the emitted SystemVerilog.

/// An input port.
public func Input(_ name: String, _ type: HWType, fileID: String = #fileID, line: Int = #line) -> Signal {
    ElaborationContext.active.declare(name, type, .input, at: SourceLocation(fileID: fileID, line: line), isPort: true)
}

/// An output port, driven combinationally by assignments.
public func Output(_ name: String, _ type: HWType, fileID: String = #fileID, line: Int = #line) -> Signal {
    ElaborationContext.active.declare(name, type, .output, at: SourceLocation(fileID: fileID, line: line), isPort: true)
}

/// A combinational wire.
public func Wire(_ name: String, _ type: HWType, fileID: String = #fileID, line: Int = #line) -> Signal {
    ElaborationContext.active.declare(name, type, .wire, at: SourceLocation(fileID: fileID, line: line))
}

/// A register on the implicit clock `clk`. With `reset`, the synchronous active-high `rst` loads
/// that value; with `enable` (1 bit), the register only updates in cycles where it is 1.
/// Assignments to a register set its next value; without any in a cycle it holds.
public func Reg(_ name: String, _ type: HWType, reset: Int? = nil, enable: Signal? = nil,
                fileID: String = #fileID, line: Int = #line) -> Signal {
    let ctx = ElaborationContext.active
    let location = SourceLocation(fileID: fileID, line: line)
    var resetBits: BitVector?
    if let reset {
        if type.width >= 1, BitVector.fits(reset, width: type.width, signed: type.isSigned) {
            resetBits = BitVector(reset, width: type.width)
        } else {
            ctx.report("reset value \(reset) does not fit in \(type) register '\(name)'", at: location)
        }
    }
    return ctx.register(name, type, reset: resetBits, hasReset: reset != nil, enable: enable, at: location)
}

/// A register whose reset value is a bit pattern (for values wider than `Int`).
public func Reg(_ name: String, _ type: HWType, resetBits: BitVector, enable: Signal? = nil,
                fileID: String = #fileID, line: Int = #line) -> Signal {
    let ctx = ElaborationContext.active
    let location = SourceLocation(fileID: fileID, line: line)
    var bits: BitVector? = resetBits
    if resetBits.width != type.width {
        ctx.report("width mismatch: \(resetBits.width)-bit reset value for \(type.width)-bit register '\(name)'", at: location)
        bits = nil
    }
    return ctx.register(name, type, reset: bits, hasReset: true, enable: enable, at: location)
}

/// A register that loads `next` every cycle (or every enabled cycle): a pipeline stage.
/// Declares the register and its assignment in one step.
public func RegNext(_ name: String, _ next: Signal, reset: Int? = nil, enable: Signal? = nil,
                    fileID: String = #fileID, line: Int = #line) -> Signal {
    let reg = Reg(name, next.type, reset: reset, enable: enable, fileID: fileID, line: line)
    let location = SourceLocation(fileID: fileID, line: line)
    let ctx = ElaborationContext.active
    if var statement = ctx.statement(for: reg, next, report: { ctx.report($0, at: location) }) {
        statement.location = location
        ctx.addTopLevel(statement)
    }
    return reg
}

/// `count` signals `name_0 ... name_{count-1}` declared by `declare` (a vector of signals).
public func Vector(_ name: String, count: Int, _ declare: (String) -> Signal) -> [Signal] {
    (0..<max(count, 0)).map { declare("\(name)_\($0)") }
}

extension ElaborationContext {
    func register(_ name: String, _ type: HWType, reset: BitVector?, hasReset: Bool, enable: Signal?,
                  at location: SourceLocation) -> Signal {
        var enableID: ExprID?
        if let enable {
            if enable.context !== self {
                report("enable of register '\(name)' belongs to another module", at: location)
            } else if enable.width != 1 {
                report("width mismatch: enable of register '\(name)' must be 1 bit, got \(enable.width) bits", at: location)
            } else {
                enableID = enable.id
            }
        }
        _ = clock()
        if hasReset { _ = self.reset() }
        return declare(name, type, .register(RegisterSpec(reset: reset, enable: enableID)), at: location)
    }
}
