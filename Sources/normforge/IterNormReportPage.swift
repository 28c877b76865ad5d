import Foundation
import Reports
import Silicon

/// The report as one self-contained HTML page: inline SVG plots and tables, no script, no
/// external resource (it opens from a file, an artifact store or an email attachment alike).
extension IterNormReport {
    func html() -> String {
        let e = SVGChart.escape
        var body = "<h1>\(e(top))</h1>\n<p class=\"sub\">\(e(parameters.joined(separator: ", ")))</p>\n"
        let mismatches = timing.reduce(0) { $0 + $1.mismatches }
        let vectors = timing.reduce(0) { $0 + $1.vectors }
        body += "<p class=\"verdict \(mismatches == 0 ? "ok" : "bad")\">Co-simulation on "
            + e(verilator ?? "Verilator") + ": \(vectors) vectors over \(timing.count) lengths, "
            + (mismatches == 0 ? "bit-exact against the golden model (0 mismatches)" : "\(mismatches) MISMATCHES") + ".</p>\n"

        // Latency and streaming rate.
        body += "<h2>Latency and streaming rate</h2>\n<div class=\"row\">"
        body += SVGChart.lines(title: "Latency (first input beat to last output beat)", xLabel: "d", yLabel: "cycles", series: [
            .init(name: "co-simulated", colour: SVGChart.palette[0], points: timing.map { (Double($0.d), Double($0.latencyCycles)) }),
            .init(name: "schedule", colour: SVGChart.palette[1], dashed: true,
                  points: timing.map { (Double($0.d), Double($0.predictedLatencyCycles)) }),
        ])
        body += SVGChart.lines(title: "Streaming rate (vectors back to back)", xLabel: "d", yLabel: "elements/cycle", series: [
            .init(name: "elements/cycle", colour: SVGChart.palette[2], points: timing.map { (Double($0.d), $0.elementsPerCycle) }),
        ])
        body += "</div>\n" + table(["d", "vectors", "mismatches", "latency (cycles)", "schedule", "cycles/vector", "elements/cycle"],
                                   timing.map { ["\($0.d)", "\($0.vectors)", "\($0.mismatches)", "\($0.latencyCycles)",
                                                 "\($0.predictedLatencyCycles)", String(format: "%.2f", $0.cyclesPerVector),
                                                 String(format: "%.2f", $0.elementsPerCycle)] })

        // Precision.
        body += "<h2>Precision against FP64</h2>\n<p>\(precisionTrials) vectors per d drawn from \(e(precisionDistribution)); "
            + "mean |error| of each method against the FP64 LayerNorm/RMSNorm; the correctly rounded result is the floor.</p>\n"
        var series: [SVGChart.Series] = [
            .init(name: "IterNorm", colour: SVGChart.palette[0], points: precision.map { (Double($0.d), $0.iterNorm.meanAbsError) }),
            .init(name: "correctly rounded", colour: "#000000", dashed: true,
                  points: precision.map { (Double($0.d), $0.correctlyRounded.meanAbsError) }),
            .init(name: "naive", colour: SVGChart.palette[3], points: precision.map { (Double($0.d), $0.naive.meanAbsError) }),
        ]
        for (i, name) in Set(precision.flatMap { $0.fisr.keys }).sorted().enumerated() {
            series.append(.init(name: name.replacingOccurrences(of: "_", with: " "), colour: SVGChart.palette[(i + 1) % 3 == 0 ? 4 : i + 1],
                                points: precision.compactMap { p in p.fisr[name].map { (Double(p.d), $0.meanAbsError) } }))
        }
        body += SVGChart.lines(title: "Mean |error| vs d", xLabel: "d", yLabel: "mean |error|", series: series, yLog10: true, width: 760)
        let fisrNames = Set(precision.flatMap { $0.fisr.keys }).sorted()
        body += table(["d", "IterNorm mean |err|", "max ulp", "vs rounded"] + fisrNames.map { "\($0) mean |err|" }
                      + ["naive", "rounded mean |err|", "rounded max ulp"],
                      precision.map { p in
                          ["\(p.d)", sci(p.iterNorm.meanAbsError), String(format: "%.2f", p.iterNorm.maxUlpError),
                           p.iterNorm.meanErrorVsRounded.map { String(format: "%.3fx", $0) } ?? "-"]
                              + fisrNames.map { p.fisr[$0].map { sci($0.meanAbsError) } ?? "-" }
                              + [sci(p.naive.meanAbsError), sci(p.correctlyRounded.meanAbsError),
                                 String(format: "%.2f", p.correctlyRounded.maxUlpError)]
                      })

        // Area and paths.
        if let s = synthesis {
            body += "<h2>Area and paths (Yosys)</h2>\n<p>Generic cells \(s.genericCells) (\(s.genericFlipFlops) flip-flops, "
                + "\(s.memories) memories of \(s.memoryBits) bits), \(s.flattened ? "flattened" : "hierarchy kept"); longest path "
                + "\(s.longestPathCells) cells."
            if let x = s.xilinx {
                body += " Xilinx 7-series: \(x.luts) LUT, \(x.flipFlops) FF, \(x.dsps) DSP48E1, \(x.carries) CARRY4, \(x.blockRams) RAMB."
            }
            body += "</p>\n"
            for b in s.pathBudgets {
                body += "<p>Longest path \(String(format: "%.2fx", b.ratio)) the \(b.multiplierPathCells) cells of a single-cycle "
                    + "\(e(b.multiplier))" + (b.limit.map { String(format: " (limit %.1fx)", $0) } ?? "") + ".</p>\n"
            }
            var items = units.map { (label: "\($0.module) x\($0.instances)", value: Double($0.cellsTotal)) }
            if let topCells, topCells > 0 { items.append((label: "top module: control, buffers", value: Double(topCells))) }
            body += "<div class=\"row\">" + SVGChart.bars(title: "Generic cells by unit (all instances)", unit: "cells", items: items)
            body += SVGChart.bars(title: "Longest path per unit = per pipeline stage (ltp -noff)", unit: "cells",
                                  items: units.map { (label: $0.module, value: Double($0.longestPathCells)) }
                                      + s.pathBudgets.map { (label: "\($0.multiplier) (reference)", value: Double($0.multiplierPathCells)) })
            body += "</div>\n" + table(["unit", "instances", "cells each", "cells in all", "share", "longest path (cells)"],
                                       units.sorted { $0.cellsTotal > $1.cellsTotal }.map { u in
                                           ["\(u.module)", "\(u.instances)", "\(u.cellsEach)", "\(u.cellsTotal)",
                                            String(format: "%.1f %%", 100 * Double(u.cellsTotal) / Double(max(1, s.genericCells))),
                                            "\(u.longestPathCells)"]
                                       })
        }
        if let asic { body += asicSection(asic) }
        body += "<p class=\"sub\">Written by normforge report iternorm in \(String(format: "%.0f", seconds)) s.</p>\n"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(top))</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1200px; }
            h1 { font-size: 20px; margin-bottom: 4px; } h2 { font-size: 16px; margin-top: 28px; border-bottom: 1px solid #ccc; }
            .sub { color: #666; font-size: 12px; } .row { display: flex; flex-wrap: wrap; gap: 12px; }
            .verdict { padding: 6px 10px; display: inline-block; } .ok { background: #e3f4e3; } .bad { background: #f8dcdc; }
            table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; } th { background: #f2f2f2; }
            td:first-child { text-align: left; }
            </style></head><body>
            \(body)</body></html>

            """
    }

    /// Standard cells: area by module, the period in ns and FO4, latency in ns per measured d,
    /// each module's own longest path, and the vectorless power.
    private func asicSection(_ a: ASICReport) -> String {
        let e = SVGChart.escape
        func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
        let fo4 = a.fo4.nanoseconds
        var out = "<h2>Standard cells (\(e(a.library.name))), OpenSTA</h2>\n<p>Area \(f(a.area.totalArea / 1e6, 3)) mm^2 = "
            + "\(f(a.area.gateEquivalents / 1000)) kGE (NAND2 \(e(a.area.nand2Cell)) \(f(a.area.nand2Area)) um^2): logic \(f(a.area.logicArea / 1e6, 3)), "
            + "flip-flops \(f(a.area.flipFlopArea / 1e6, 3)), memories \(f(a.area.memoryArea / 1e6, 3)) mm^2 (\(a.area.memoryBits) bits as "
            + "flip-flop arrays: an upper bound); \(a.area.cells) cells, hierarchy \(a.flattened ? "flattened" : "kept"). FO4 \(f(a.fo4.picoseconds)) ps (measured).</p>\n"
        if let top = a.timing.first?.path, let period = a.minimumPeriodNanoseconds, let fmax = a.fmaxMHz {
            out += "<p>Minimum period <b>\(f(period, 2)) ns</b> = \(f(period / fo4, 0)) FO4 (Fmax \(f(fmax)) MHz); critical path "
                + "\(e(top.startpoint)) &rarr; \(e(top.endpoint)), \(top.cells) cells"
                + (a.limitingModule.map { "; longest module alone: \(e($0))" } ?? "") + ".</p>\n"
            out += table(["d", "latency cycles", "latency ns", "latency FO4"], timing.map { t in
                ["\(t.d)", "\(t.latencyCycles)", f(Double(t.latencyCycles) * period), f(Double(t.latencyCycles) * period / fo4, 0)]
            })
        }
        if let p = a.power {
            out += "<p>Power \(f(p.totalWatts * 1e3, 2)) mW at \(f(p.periodNanoseconds, 2)) ns (internal \(f(p.internalWatts * 1e3, 2)), switching "
                + "\(f(p.switchingWatts * 1e3, 2)), leakage \(f(p.leakageWatts * 1e6, 2)) uW), \(f(p.picojoulesPerCycle)) pJ/cycle; activity: "
                + "\(p.activity.rawValue) (\(p.inputActivity) on every input: a vectorless model).</p>\n"
        }
        let modules = a.area.modules.map { (label: "\($0.module) x\($0.instances)", value: ($0.logicArea + $0.flipFlopArea) * Double($0.instances) / 1e6) }
            .filter { $0.value > 0 }
        out += "<div class=\"row\">" + SVGChart.bars(title: "Own area by module, all instances (mm^2)", unit: "mm^2", items: modules)
        let paths = a.timing.dropFirst().compactMap { t in t.path.map { (label: t.module, value: $0.arrivalNanoseconds / fo4) } }
        out += SVGChart.bars(title: "Longest path of each module alone (FO4)", unit: "FO4", items: paths) + "</div>\n"
        return out
    }

    private func table(_ header: [String], _ rows: [[String]]) -> String {
        "<table><tr>" + header.map { "<th>\(SVGChart.escape($0))</th>" }.joined() + "</tr>\n"
            + rows.map { "<tr>" + $0.map { "<td>\(SVGChart.escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
            + "</table>\n"
    }

    private func sci(_ v: Double) -> String { String(format: "%.3e", v) }
}
