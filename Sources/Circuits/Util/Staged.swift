import HDL

/// Values a pipeline register stage can carry: a signal, or a value made of signals that is mapped
/// field by field (Chisel's `Valid` payload idea). `transform` gets each signal with its field
/// name, so that registers are named after what they hold.
protocol StagePayload {
    func map(_ transform: (Signal, String) -> Signal) -> Self
}

extension Signal: StagePayload {
    func map(_ transform: (Signal, String) -> Signal) -> Signal { transform(self, "") }
}

extension Optional: StagePayload where Wrapped: StagePayload {
    func map(_ transform: (Signal, String) -> Signal) -> Self {
        self.map { (wrapped: Wrapped) in wrapped.map(transform) }
    }
}

extension Array: StagePayload where Element: StagePayload {
    func map(_ transform: (Signal, String) -> Signal) -> Self {
        self.map { (element: Element) in element.map(transform) }
    }
}

/// When an event of a vector happens: `beats * nb + cycles` cycles after the vector's first input
/// beat, for a vector of `nb` beats (a pass over the vector adds `nb`, a register one cycle).
/// Pipelines carry it with their valid bit, so that the latency follows from the registers the
/// generator creates instead of a count kept by hand.
struct Timing: Hashable, Sendable {
    var beats = 0
    var cycles = 0

    /// The cycle of the event for vectors of `nb` beats.
    func cycle(beats nb: Int) -> Int { beats * nb + cycles }

    static func + (t: Timing, cycles: Int) -> Timing { Timing(beats: t.beats, cycles: t.cycles + cycles) }
    static func + (t: Timing, u: Timing) -> Timing { Timing(beats: t.beats + u.beats, cycles: t.cycles + u.cycles) }
    static func - (t: Timing, u: Timing) -> Timing { Timing(beats: t.beats - u.beats, cycles: t.cycles - u.cycles) }
    static func * (n: Int, t: Timing) -> Timing { Timing(beats: n * t.beats, cycles: n * t.cycles) }

    /// From a vector's first beat to its last: `nb - 1` cycles.
    static let lastBeat = Timing(beats: 1, cycles: -1)
}

/// A valid bit and the payload that travels with it through a pipeline, advanced as one unit,
/// with the time its (last) valid beat reaches this point.
struct Staged<Payload: StagePayload> {
    var valid: Signal
    var payload: Payload
    var timing: Timing

    /// The same valid bit and time with the payload transformed (no register).
    func map<Other>(_ transform: (Payload) -> Other) -> Staged<Other> {
        Staged<Other>(valid: valid, payload: transform(payload), timing: timing)
    }
}
