import Foundation

/// What a Verilator coverage run reached: counts per kind of point (line, toggle, branch, the
/// `Cover` points), each functional point with its hits, and where the lcov tracefile and the
/// genhtml pages went.
public struct CoverageReport: Sendable, Codable {
    /// Points of one kind (`line`, `toggle`, `branch`, `user`, ...) and how many were hit.
    public struct Kind: Sendable, Codable, Hashable {
        public var kind: String
        public var points: Int
        public var hit: Int
    }

    /// A functional coverage point (`Cover` in the DSL), summed over its module's instances.
    public struct Point: Sendable, Codable, Hashable {
        /// The module that declares it.
        public var module: String
        /// The point's name (`Cover`'s first argument).
        public var name: String
        public var hits: UInt64
        /// Instances of the module in the design (a point is hit when any instance hits it).
        public var instances: Int
    }

    public var kinds: [Kind]
    public var points: [Point]
    /// `module.name` of every functional point never hit.
    public var missed: [String]
    /// The raw database, the lcov tracefile (`verilator_coverage --write-info`) and genhtml's
    /// index page (nil where lcov's genhtml is not installed).
    public var data: String
    public var lcovInfo: String?
    public var html: String?

    /// Reads Verilator's `coverage.dat` (`C '<key\u{1}value...>' count` lines).
    public init(data url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var kinds: [String: Kind] = [:]
        var points: [String: Point] = [:]
        for (fields, count) in Self.records(text) {
            let kind = fields["t"] ?? "other"
            kinds[kind, default: Kind(kind: kind, points: 0, hit: 0)].points += 1
            if count > 0 { kinds[kind]!.hit += 1 }
            // A functional point: page `v_user/<module>`, comment = the `cover_<name>_hit` label.
            guard kind == "user", let page = fields["page"], page.hasPrefix("v_user/"), let label = fields["o"] else { continue }
            let module = String(page.dropFirst("v_user/".count))
            var name = label
            if name.hasPrefix("cover_") { name.removeFirst("cover_".count) }
            if name.hasSuffix("_hit") { name.removeLast("_hit".count) }
            let key = module + "." + name
            points[key, default: Point(module: module, name: name, hits: 0, instances: 0)].hits += count
            points[key]!.instances += 1
        }
        self.kinds = kinds.values.sorted { $0.kind < $1.kind }
        self.points = points.keys.sorted().map { points[$0]! }
        missed = self.points.filter { $0.hits == 0 }.map { "\($0.module).\($0.name)" }
        data = url.path
    }

    /// The points of a `coverage.dat` text: each line `C '<key\u{1}value...>' count` as its
    /// fields (`t` kind, `o` comment: a toggle's `signal[bit]:0->1`, `h` the instance's scope, ...)
    /// and count.
    public static func records(_ text: String) -> [(fields: [String: String], count: UInt64)] {
        var records: [(fields: [String: String], count: UInt64)] = []
        for line in text.split(separator: "\n") where line.hasPrefix("C '") {
            guard let close = line.lastIndex(of: "'"), close > line.index(line.startIndex, offsetBy: 2),
                  let count = UInt64(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) else { continue }
            var fields: [String: String] = [:]
            for field in line[line.index(line.startIndex, offsetBy: 3)..<close].split(separator: "\u{1}") {
                let parts = field.split(separator: "\u{2}", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            records.append((fields, count))
        }
        return records
    }

    /// Writes `sources` beside `data` (the database names them relative to its directory), turns
    /// the database into `coverage.info` with `verilator_coverage` and, when lcov is installed,
    /// renders it into `html/` with genhtml.
    public static func render(data: URL, sources: [VerilogSource], locator: ToolLocator = ToolLocator()) throws -> CoverageReport {
        let directory = data.deletingLastPathComponent()
        for source in sources {
            try source.text.write(to: directory.appendingPathComponent(source.fileName), atomically: true, encoding: .utf8)
        }
        var report = try CoverageReport(data: data)
        let info = directory.appendingPathComponent("coverage.info")
        let convert = try ProcessRunner.run(.verilatorCoverage, ["--write-info", info.path, data.path], in: directory, locator: locator)
        guard convert.succeeded else { throw CosimError.buildFailed("verilator_coverage --write-info: " + convert.stderr) }
        report.lcovInfo = info.path
        if (try? locator.path(of: .genhtml)) != nil {
            let html = directory.appendingPathComponent("html")
            let render = try ProcessRunner.run(.genhtml, ["--quiet", "--output-directory", html.path, info.path],
                                               in: directory, locator: locator)
            guard render.succeeded else { throw CosimError.buildFailed("genhtml: " + render.stderr) }
            report.html = html.appendingPathComponent("index.html").path
        }
        return report
    }
}
