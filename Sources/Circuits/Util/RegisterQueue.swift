import HDL

/// A FIFO of registers with a combinational head: push at the tail, read the head, pop it (both
/// in one cycle is allowed). The stream edges that cannot stall their producer (the BFP
/// quantizer's beat buffer, the range-BN output FIFO, the skid and output queues of IterNorm with
/// BFP ports) hold beats here; each caller guarantees, by construction or by credits, that it
/// never overflows.
struct RegisterQueue {
    let slots: [Signal]
    let readPointer: Signal
    let writePointer: Signal
    /// Entries held, 0...depth; nil unless asked for (a queue whose occupancy nobody reads has
    /// no counter).
    let count: Signal?
    let depth: Int

    /// Declares the registers `<name>_<i>`, `<name>_rd`, `<name>_wr` and, with `countsEntries`,
    /// `<name>_count`.
    init(_ name: String, depth: Int, width: Int, countsEntries: Bool = false) {
        precondition(depth >= 1, "queue depth must be at least 1")
        self.depth = depth
        let pointerWidth = bitsFor(max(depth - 1, 1))
        slots = (0..<depth).map { Reg("\(name)_\($0)", .bits(width)) }
        readPointer = Reg("\(name)_rd", .uint(pointerWidth), reset: 0)
        writePointer = Reg("\(name)_wr", .uint(pointerWidth), reset: 0)
        count = countsEntries ? Reg("\(name)_count", .uint(bitsFor(depth)), reset: 0) : nil
    }

    /// Whether the queue holds nothing (needs `countsEntries`).
    var isEmpty: Signal {
        guard let count else { preconditionFailure("isEmpty needs a queue declared with countsEntries") }
        return count == 0
    }

    /// The oldest entry (meaningless while empty).
    var head: Signal { muxLookup(readPointer, slots) }

    /// Appends `data` when `push`, drops the head when `pop`.
    func update(push: Signal, data: Signal, pop: Signal) {
        When(push) {
            for i in 0..<depth {
                When(writePointer == i) { slots[i] <== data }
            }
            writePointer <== wrapIncrement(writePointer, modulus: depth)
        }
        When(pop) { readPointer <== wrapIncrement(readPointer, modulus: depth) }
        if let count {
            count <== count &+ push.zext(to: count.width) &- pop.zext(to: count.width)
        }
    }
}
