import Foundation

/// A finished IterNorm exploration: every point's result, the two Pareto fronts the issue asks
/// for, a text table and the two SVG plots.
public struct IterNormExploration: Sendable, Codable {
    public var points: [IterNormPointResult]
    /// Indices into `points`: the front of area (at the quoted d) against latency in ns (at the
    /// quoted d), and of energy per vector against area (both of the mapped configuration).
    public var frontAreaLatency: [Int]
    public var frontEnergyArea: [Int]
    /// Points whose co-simulation mismatched the golden model or whose latency differed from the
    /// schedule: the exploration fails on any.
    public var failures: [String]

    public init(points: [IterNormPointResult]) {
        let sorted = points.sorted { $0.index < $1.index }
        self.points = sorted
        frontAreaLatency = ParetoFront.indices(sorted.map { ($0.areaAtQuotedDUm2, $0.latencyNanosecondsAtQuotedD) })
            .map { sorted[$0].index }
        frontEnergyArea = ParetoFront.indices(sorted.map { ($0.areaUm2, $0.energyPerVectorPicojoules ?? .infinity) })
            .map { sorted[$0].index }
        failures = sorted.flatMap { p -> [String] in
            var problems: [String] = []
            if p.cosimulation.mismatches > 0 {
                problems.append("\(p.label): \(p.cosimulation.mismatches) mismatches in \(p.cosimulation.vectors) vectors")
            }
            if p.cosimulation.latencyCycles != p.cosimulation.predictedLatencyCycles {
                problems.append("\(p.label): latency \(p.cosimulation.latencyCycles) cycles, the schedule predicts \(p.cosimulation.predictedLatencyCycles)")
            }
            return problems
        }
    }

    private var quotedD: Int { points.first?.quotedD ?? 0 }
    private var mappedDMax: String {
        Array(Set(points.map { String($0.point.config.dMax) })).sorted().joined(separator: ", ")
    }

    /// One row per point, the fronts marked (A: area/latency, E: energy/area).
    public var text: String {
        func f(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
        let header = ["point", "cosim", "mm^2", "kGE", "period ns", "FO4", "Fmax MHz", "latency @\(quotedD)",
                      "ns @\(quotedD)", "mm^2 @\(quotedD)", "pJ/vector @d_max", "front"]
        var rows = [header]
        for p in points {
            let fo4 = p.asic.fo4.nanoseconds
            rows.append([
                p.label, "\(p.cosimulation.vectors) v, \(p.cosimulation.mismatches) mm",
                f(p.areaUm2 / 1e6, 2), f(p.kiloGateEquivalents, 1), f(p.periodNanoseconds, 2), f(p.periodNanoseconds / fo4, 0),
                f(p.fmaxMHz, 1), "\(p.latencyCyclesAtQuotedD)", f(p.latencyNanosecondsAtQuotedD, 0),
                f(p.areaAtQuotedDUm2 / 1e6, 2), p.energyPerVectorPicojoules.map { f($0, 0) } ?? "-",
                (frontAreaLatency.contains(p.index) ? "A" : "") + (frontEnergyArea.contains(p.index) ? "E" : ""),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: lines[0].count), at: 1)
        lines.append("""
            mapped at d_max \(mappedDMax) (memories as flip-flop arrays); "@\(quotedD)": the macro built for d = \(quotedD), \
            latency from its schedule at the mapped period, memories scaled by bits; pJ/vector: vectorless power \
            (propagated input activity, a model) x co-simulated cycles per vector; front A: area @\(quotedD) vs ns @\(quotedD), \
            E: pJ/vector vs area
            """)
        lines += failures.map { "FAILED \($0)" }
        return lines.joined(separator: "\n")
    }

    private func groups(_ value: (IterNormPointResult) -> (Double, Double)?) -> [(name: String, points: [SVGChart.LabelledPoint])] {
        var order: [String] = []
        var byFamily: [String: [SVGChart.LabelledPoint]] = [:]
        for p in points {
            guard let (x, y) = value(p) else { continue }
            if byFamily[p.family] == nil { order.append(p.family) }
            byFamily[p.family, default: []].append(.init(x: x, y: y, label: "P=\(p.point.config.lanes)"))
        }
        return order.map { ($0, byFamily[$0] ?? []) }
    }

    private func front(_ indices: [Int], _ value: (IterNormPointResult) -> (Double, Double)?) -> [SVGChart.LabelledPoint] {
        points.filter { indices.contains($0.index) }.compactMap { p in value(p).map { .init(x: $0.0, y: $0.1, label: p.label) } }
    }

    /// Area at the quoted d against latency in ns at the quoted d.
    public var areaLatencySVG: String {
        let value: (IterNormPointResult) -> (Double, Double)? = { ($0.latencyNanosecondsAtQuotedD, $0.areaAtQuotedDUm2 / 1e6) }
        return SVGChart.scatter(
            title: "IterNorm design space: area against latency at d = \(quotedD) (OSU 0.18 um)",
            subtitle: "mapped at d_max \(mappedDMax), memories (flip-flop arrays) scaled to d_max \(quotedD); latency = schedule cycles x mapped period",
            xLabel: "latency at d = \(quotedD), ns", yLabel: "area, mm^2",
            groups: groups(value), front: front(frontAreaLatency, value))
    }

    /// Energy per vector against area, of the mapped configuration.
    public var energyAreaSVG: String {
        let value: (IterNormPointResult) -> (Double, Double)? = { p in
            p.energyPerVectorPicojoules.map { (p.areaUm2 / 1e6, $0 / 1000) }
        }
        return SVGChart.scatter(
            title: "IterNorm design space: energy per vector against area (OSU 0.18 um)",
            subtitle: "at d = d_max \(mappedDMax), streamed at Fmax; power from propagated input activity 0.2 (vectorless, a model)",
            xLabel: "area, mm^2", yLabel: "energy per vector, nJ",
            groups: groups(value), front: front(frontEnergyArea, value))
    }
}
