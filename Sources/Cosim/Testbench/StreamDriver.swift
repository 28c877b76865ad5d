import Golden
import HDL

/// One valid/ready interface of a design: its handshake ports and the data ports it carries.
public struct StreamInterface: Sendable, Hashable {
    public var valid: String
    /// `nil` when the interface has no ready: a source that always accepts, a sink that is
    /// always read.
    public var ready: String?
    public var data: [String]

    public init(valid: String, ready: String?, data: [String]) {
        self.valid = valid
        self.ready = ready
        self.data = data
    }
}

/// How a stream test stresses the handshakes; the same seed replays the same stalls.
public struct StreamOptions: Sendable {
    public var seed: UInt64
    /// Chance per cycle that the source withholds `valid` although it has an item (an input bubble).
    public var bubbleProbability: Double
    /// Chance per cycle that the sink drops `ready` (back-pressure).
    public var backpressureProbability: Double
    /// Give up (with an error) after this many cycles.
    public var timeoutCycles: Int

    public init(seed: UInt64 = 1, bubbleProbability: Double = 0, backpressureProbability: Double = 0,
                timeoutCycles: Int = 100_000) {
        self.seed = seed
        self.bubbleProbability = bubbleProbability
        self.backpressureProbability = backpressureProbability
        self.timeoutCycles = timeoutCycles
    }
}

extension Testbench {
    /// Sends `items` into `source` and checks that `sink` delivers `expected` in order, with
    /// seeded random input bubbles and back-pressure. Each delivered item's data ports are
    /// `expect`ed (mismatches go to the report); the handshake signals the driver reacts to are
    /// `observe`d, so an Icarus replay proves the same handshakes. Returns the cycles used; throws
    /// on a timeout or an item more than expected.
    @discardableResult
    public func stream(_ items: [[String: any PortValueConvertible]], into source: StreamInterface,
                       expect expected: [[String: any PortValueConvertible]], from sink: StreamInterface,
                       options: StreamOptions = StreamOptions()) throws -> Int {
        var random = SeededRandom(seed: options.seed)
        var sent = 0, received = 0, cycles = 0
        while sent < items.count || received < expected.count {
            guard cycles < options.timeoutCycles else {
                throw CosimError.simulationError(
                    "stream timeout after \(cycles) cycles: sent \(sent) of \(items.count), received \(received) of \(expected.count)")
            }
            let offering = sent < items.count && random.nextUnit() >= options.bubbleProbability
            if offering {
                for (port, value) in items[sent] { try poke(port, value) }
            }
            try poke(source.valid, offering)
            let sinkReady = random.nextUnit() >= options.backpressureProbability
            if let ready = sink.ready { try poke(ready, sinkReady) }

            let accepted = try offering && (source.ready.map { try observe($0).low64 == 1 } ?? true)
            let delivered = try observe(sink.valid).low64 == 1 && (sink.ready == nil || sinkReady)
            if delivered {
                guard received < expected.count else {
                    throw CosimError.simulationError("\(sink.valid): item \(received + 1) delivered, only \(expected.count) expected")
                }
                for (port, value) in expected[received] { try expect(port, value) }
                received += 1
            }
            try step()
            cycles += 1
            if accepted { sent += 1 }
        }
        try poke(source.valid, false)
        return cycles
    }
}
