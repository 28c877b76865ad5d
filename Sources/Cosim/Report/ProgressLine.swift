import Foundation
import Synchronization

/// Progress of long work on stderr — phase, done/total, rate, ETA — redrawn in place at most a
/// few times a second, and only when stderr is a terminal: a pipe or a file (a `--json` run in a
/// script, CI logs) gets nothing.
///
/// ```swift
/// let progress = ProgressLine.standardError
/// progress.begin("co-simulating", total: 3000, unit: "vectors")
/// for i in 0..<3000 { ...; progress.update(i + 1) }
/// progress.end()
/// ```
public final class ProgressLine: Sendable {
    /// stderr's line, shown when stderr is a terminal and `NORMFORGE_PROGRESS` is not `0`.
    public static let standardError = ProgressLine(
        enabled: isatty(2) != 0 && ProcessInfo.processInfo.environment["NORMFORGE_PROGRESS"] != "0")

    private struct State {
        var phase = ""
        var unit = ""
        var total: Int?
        var start = Date()
        var lastDraw = Date.distantPast
        var drawn = false
        var done = 0
        /// Bumped by every `begin`: the ticker of an older phase stops.
        var generation = 0
    }
    public let enabled: Bool
    private let state = Mutex(State())

    /// A line that draws only when `enabled`.
    public init(enabled: Bool) { self.enabled = enabled }

    /// Starts a phase (`total` nil for work of unknown size: only the elapsed time is shown).
    public func begin(_ phase: String, total: Int? = nil, unit: String = "") {
        guard enabled else { return }
        let generation = state.withLock { s in
            s = State(phase: phase, unit: unit, total: total, start: Date(), generation: s.generation + 1)
            draw(&s, done: 0, force: true)
            return s.generation
        }
        // A phase with no updates for a while (a compiler, Yosys) still shows its time passing.
        let ticker = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                let running = state.withLock { s in
                    guard s.generation == generation, s.drawn else { return false }
                    if Date().timeIntervalSince(s.lastDraw) >= 1 { draw(&s, done: s.done, force: true) }
                    return true
                }
                if !running { return }
            }
        }
        ticker.start()
    }

    /// `done` items of the phase are finished.
    public func update(_ done: Int) {
        guard enabled else { return }
        state.withLock { draw(&$0, done: done, force: false) }
    }

    /// `done` of `total` items, the current one described by `phase`: for work whose label
    /// changes with each item. A new total starts the clock (rate and ETA) over.
    public func update(_ done: Int, of total: Int, phase: String) {
        guard enabled else { return }
        state.withLock { s in
            if s.total != total { s = State(phase: phase, unit: "", total: total, start: Date()) }
            s.phase = phase
            draw(&s, done: done, force: done == total)
        }
    }

    /// Ends the phase: the last figures stay on screen.
    public func end(_ done: Int? = nil) {
        guard enabled else { return }
        state.withLock { s in
            guard s.drawn else { return }
            draw(&s, done: done ?? s.total ?? 0, force: true)
            FileHandle.standardError.write(Data("\n".utf8))
            s.drawn = false
            s.generation += 1
        }
    }

    private func draw(_ s: inout State, done: Int, force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(s.lastDraw) >= 0.25 else { return }
        s.lastDraw = now
        s.drawn = true
        s.done = done
        let elapsed = now.timeIntervalSince(s.start)
        var text = "\(s.phase)"
        if let total = s.total {
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            text += ": \(done)/\(total) \(s.unit)"
            if done > 0 && rate > 0 {
                text += String(format: ", %.0f/s, ETA %@", rate, Self.duration(Double(total - done) / rate))
            }
        }
        text += ", " + Self.duration(elapsed) + " elapsed"
        // Carriage return and clear-to-end-of-line: redraw in place.
        FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
    }

    private static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
            : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
