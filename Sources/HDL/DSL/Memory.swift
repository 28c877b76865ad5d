/// A synchronous-write, synchronous-read RAM (the style Yosys infers as a memory).
///
/// Writes are statements (`mem.write(addr, data)`, conditional inside `When`); a read port is a
/// declaration: `mem.read(addr)` returns the registered read data, valid the cycle after the
/// address is presented.
public struct Memory: Sendable {
    let context: ElaborationContext
    /// The memory's index in its module.
    public let id: MemoryID
    public let name: String
    public let depth: Int
    public let elementType: HWType

    /// Declares a memory of `depth` (>= 2) words of `elementType`.
    public init(_ name: String, depth: Int, _ elementType: HWType, fileID: String = #fileID, line: Int = #line) {
        let ctx = ElaborationContext.active
        let location = SourceLocation(fileID: fileID, line: line)
        if depth < 2 { ctx.report("memory '\(name)' needs a depth of at least 2, got \(depth)", at: location) }
        if elementType.width < 1 { ctx.report("invalid width \(elementType.width) for memory '\(name)'", at: location) }
        let decl = MemoryDecl(name: name, depth: max(depth, 2),
                              elementType: HWType(width: max(elementType.width, 1), isSigned: elementType.isSigned),
                              location: location)
        _ = ctx.clock()
        self.context = ctx
        self.id = ctx.state.withLock { s in
            s.memories.append(decl)
            return MemoryID(s.memories.count - 1)
        }
        self.name = name
        self.depth = decl.depth
        self.elementType = decl.elementType
    }

    /// The address width: ceil(log2(depth)).
    public var addressWidth: Int { MemoryDecl(name: name, depth: depth, elementType: elementType, location: SourceLocation()).addressWidth }

    /// Writes `data` at `address` at the next clock edge (put it inside `When` for a write enable).
    public func write(_ address: Signal, _ data: Signal, fileID: String = #fileID, line: Int = #line) {
        let location = SourceLocation(fileID: fileID, line: line)
        let ctx = ElaborationContext.active
        guard context === ctx else {
            ctx.report("memory '\(name)' belongs to another module", at: location)
            return
        }
        guard ctx.owns(address, at: location), ctx.owns(data, at: location) else { return }
        ctx.append(Statement(.memoryWrite(id, address: address.id, data: data.id), location: location))
    }

    /// A read port: the word at `address`, registered (available one cycle later). With
    /// `enable`, the read data only updates in cycles where it is 1.
    public func read(_ address: Signal, enable: Signal? = nil, name portName: String? = nil,
                     fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        let readPorts = context.state.withLock { s in
            s.signals.count { if case .memoryReadData(let m) = $0.kind { return m == id } else { return false } }
        }
        let data = context.declare(portName ?? "\(name)_rdata\(readPorts == 0 ? "" : "\(readPorts)")",
                                   elementType, .memoryReadData(id), at: location)
        guard let dataID = data.declaration, context.owns(address, at: location) else { return data }
        var statement = Statement(.memoryRead(id, address: address.id, data: dataID), location: location)
        if let enable, context.owns(enable, at: location) {
            statement = Statement(.when(condition: enable.id, then: [statement], otherwise: []), location: location)
        }
        context.addTopLevel(statement)
        return data
    }
}
