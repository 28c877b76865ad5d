import Cosim

/// The human-readable coverage lines of `cosim ... --coverage`.
enum CoverageSummaryText {
    static func lines(_ report: CoverageReport) -> [String] {
        var lines = ["coverage          " + report.kinds.map { "\($0.kind) \($0.hit)/\($0.points)" }.joined(separator: ", ")]
        let hit = report.points.filter { $0.hits > 0 }.count
        lines.append("functional points \(hit)/\(report.points.count) hit" + (report.missed.isEmpty ? "" : "; never hit: " + report.missed.joined(separator: ", ")))
        let width = (report.points.map { $0.module.count + $0.name.count + 1 }.max() ?? 0) + 4
        for point in report.points {
            lines.append("  \(point.module).\(point.name)".padding(toLength: width, withPad: " ", startingAt: 0) + "\(point.hits)")
        }
        lines.append("coverage files    \(report.data), \(report.lcovInfo ?? "-")" + (report.html.map { ", \($0)" } ?? ""))
        return lines
    }
}
