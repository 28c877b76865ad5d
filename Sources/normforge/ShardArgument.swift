import ArgumentParser

/// `--shard I/N`: the I-th (0-based) of N disjoint, contiguous slices of a run's item range. The
/// N slices of a range cover it exactly, so N shard runs together are the unsharded run.
struct ShardArgument: ExpressibleByArgument, Codable, Hashable {
    let index: Int
    let count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              count >= 1, index >= 0, index < count else { return nil }
        self.init(index: index, count: count)
    }

    static let whole = ShardArgument(index: 0, count: 1)

    /// This shard's slice of `0..<total` (empty when there are more shards than items).
    func range(of total: Int) -> Range<Int> {
        (total * index / count) ..< (total * (index + 1) / count)
    }

    var description: String { "\(index)/\(count)" }
}
