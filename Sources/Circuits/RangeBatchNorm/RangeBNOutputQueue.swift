import HDL

/// The output side of a range-BN pass: a FIFO after the FP32 -> BFP quantizer, drained onto a
/// block stream `<prefix>_valid/ready/last/scale/data`. The pass reads a beat from its memory
/// only while `hasRoom`: credits count beats read and not yet delivered, so the FIFO never
/// overflows and the stream's ready may drop at any time.
struct RangeBNOutputQueue {
    let depth: Int
    /// Beats read and not yet delivered.
    let outstanding: Signal

    init(_ name: String, depth: Int) {
        self.depth = depth
        outstanding = Reg("\(name)_outstanding", .uint(bitsFor(depth)), reset: 0)
    }

    /// 1 while one more beat may be read.
    var hasRoom: Signal { outstanding < depth }

    /// Declares the output ports `<prefix>_*`, queues what `quantizer` emits and counts the
    /// credits of `issue` (a beat read this cycle).
    func connect(_ prefix: String, name: String, quantizer q: Instance, dataWidth: Int, issue: Signal) {
        let outValid = Output("\(prefix)_valid", .bool)
        let outReady = Input("\(prefix)_ready", .bool)
        let outLast = Output("\(prefix)_last", .bool)
        let outScale = Output("\(prefix)_scale", .bits(8))
        let outData = Output("\(prefix)_data", .bits(dataWidth))
        let beat = BundleLayout(["last": .bool, "scale": .bits(8), "data": .bits(dataWidth)])
        let fifo = RegisterQueue(name, depth: depth, width: beat.width, countsEntries: true)
        let delivering = !fifo.isEmpty
        let pop = delivering & outReady
        fifo.update(push: q.out_valid, data: beat.pack(["last": q.out_last, "scale": q.out_scale, "data": q.out_data]), pop: pop)
        outstanding <== outstanding &+ issue.zext(to: outstanding.width) &- pop.zext(to: outstanding.width)
        let head = beat.unpack(fifo.head)
        outValid <== delivering
        outLast <== head.last
        outScale <== head.scale
        outData <== head.data
    }
}
