import HDL

/// A small FIFO of registers with a combinational head, for the stream edges of the IterNorm
/// macro with BFP ports: the converters have no back-pressure, so beats they emit while the
/// next stage is not ready wait here. The caller guarantees (by credits) that it never overflows.
struct IterNormBFPQueue {
    let slots: [Signal]
    let readPointer: Signal
    let writePointer: Signal
    /// Entries held, 0...depth.
    let count: Signal
    let depth: Int

    /// Declares the registers `<name>_<i>`, `<name>_rd`, `<name>_wr`, `<name>_count`.
    init(_ name: String, depth: Int, width: Int) {
        precondition(depth >= 1, "queue depth must be at least 1")
        self.depth = depth
        let pointerWidth = bitsFor(max(depth - 1, 1))
        slots = (0..<depth).map { Reg("\(name)_\($0)", .bits(width)) }
        readPointer = Reg("\(name)_rd", .uint(pointerWidth), reset: 0)
        writePointer = Reg("\(name)_wr", .uint(pointerWidth), reset: 0)
        count = Reg("\(name)_count", .uint(bitsFor(depth)), reset: 0)
    }

    var isEmpty: Signal { count == 0 }

    /// The oldest entry (meaningless while empty).
    var head: Signal {
        var value = slots[0]
        for i in 1..<depth { value = mux(readPointer == i, slots[i], value) }
        return value
    }

    private func next(_ pointer: Signal) -> Signal {
        mux(pointer == depth - 1, Const(0, width: pointer.width), pointer &+ 1)
    }

    /// Appends `data` when `push`, drops the head when `pop` (both in one cycle is allowed).
    @StatementBuilder
    func update(push: Signal, data: Signal, pop: Signal) -> [Statement] {
        When(push) {
            for i in 0..<depth {
                When(writePointer == i) { slots[i] <== data }
            }
            writePointer <== next(writePointer)
        }
        When(pop) { readPointer <== next(readPointer) }
        count <== count &+ push.zext(to: count.width) &- pop.zext(to: count.width)
    }
}
