import Foundation

/// Items `0..<count` made in order on a background thread, at most `window` ahead of the consumer:
/// the stimulus and golden model of the next vectors are computed on another core while the
/// simulator runs the current ones, in bounded memory whatever the run's length.
///
/// ```swift
/// let ahead = WorkAhead(count: 1000, window: 64) { i in expensiveGolden(i) }
/// for _ in 0..<1000 { use(try ahead.next()) }
/// ```
final class WorkAhead<Item: Sendable>: @unchecked Sendable {
    // @unchecked: every mutable field below is read and written under `condition` only.
    private let condition = NSCondition()
    private var ready: [Item] = []
    private var readIndex = 0
    private var produced = 0
    private var consumed = 0
    private var failure: (any Error)?
    private var cancelled = false
    private let count: Int
    private let window: Int

    /// Starts making items `0..<count` with `make` (which may throw: the error is raised by the
    /// `next()` that would have returned that item).
    init(count: Int, window: Int, make: @escaping @Sendable (Int) throws -> Item) {
        self.count = count
        self.window = max(1, window)
        let thread = Thread { [self] in self.produce(make) }
        thread.name = "normforge-work-ahead"
        thread.start()
    }

    private func produce(_ make: @Sendable (Int) throws -> Item) {
        for index in 0..<count {
            condition.lock()
            while produced - consumed >= window && !cancelled { condition.wait() }
            let stop = cancelled
            condition.unlock()
            if stop { return }
            let result = Result { try make(index) }
            condition.lock()
            switch result {
            case .success(let item): ready.append(item); produced += 1
            case .failure(let error): failure = error; cancelled = true
            }
            condition.broadcast()
            condition.unlock()
            if case .failure = result { return }
        }
    }

    /// The next item in order; blocks until it is made. Throws the producer's error.
    func next() throws -> Item {
        condition.lock()
        defer { condition.unlock() }
        while readIndex == ready.count {
            if let failure { throw failure }
            precondition(consumed < count, "WorkAhead.next() called more than count times")
            condition.wait()
        }
        let item = ready[readIndex]
        readIndex += 1
        consumed += 1
        // Drop consumed items now and then, so the buffer stays `window` long.
        if readIndex >= window {
            ready.removeFirst(readIndex)
            readIndex = 0
        }
        condition.broadcast()
        return item
    }

    /// Stops the producer after the item it is making.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
