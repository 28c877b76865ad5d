import Foundation
import Golden

/// The accuracy-area trade-off as a plain SVG file (`normforge precision --plot FILE.svg`): left,
/// IterNorm's mean error over the correctly rounded result's against d, one line per format and
/// arithmetic mode; right, that error (geometric mean over the OPT lengths) against Xilinx LUTs
/// of the 64-lane macro, for the modes whose `normforge synth iternorm --json` report is given.
struct PrecisionPlot {
    /// One line of the left panel: a format in one arithmetic mode.
    struct Series {
        let format: String
        /// `same`, `fp32` or `wide`.
        let mode: String
        /// (d, worst mean_error_vs_rounded over the distributions), in increasing d.
        let points: [(d: Int, ratio: Double)]
        /// Xilinx LUTs of the macro in this format and mode, when a synthesis report was given.
        var luts: Int?

        var label: String { "\(format) \(mode)" }

        /// Geometric mean of the ratio over the OPT lengths (the right panel's y).
        var optRatio: Double {
            let opt = points.filter { PrecisionEngine.optDims.contains($0.d) }.map { log($0.ratio) }
            return opt.isEmpty ? .nan : exp(opt.reduce(0, +) / Double(opt.count))
        }
    }

    /// The series of one format in one mode, from its report: the worst distribution per d.
    static func series(_ report: PrecisionReport, mode: String) -> Series {
        let method = "iternorm_\(report.iternormForm)_k\(report.iternormIterations)"
        let points = report.dims.sorted { $0.d < $1.d }.compactMap { dim -> (d: Int, ratio: Double)? in
            let ratios = dim.distributions.values.compactMap { $0[method]?.meanErrorVsRounded }
            return ratios.max().map { (dim.d, $0) }
        }
        return Series(format: report.format, mode: mode, points: points)
    }

    var series: [Series]

    private static let colours = ["same": "#d62728", "fp32": "#1f77b4", "wide": "#2ca02c"]
    private static let dashes = ["fp32": "", "bf16": "6,3", "fp16": "2,3"]

    /// The SVG document.
    func svg() -> String {
        let width = 980.0, height = 440.0
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        let ratios = series.flatMap { $0.points.map(\.ratio) }.filter { $0.isFinite && $0 > 0 }
        let top = max(10, pow(10, ceil(log10(ratios.max() ?? 10))))
        let left = Panel(x: 70, y: 40, width: 440, height: 330, xLog: true,
                         xRange: (log2(Double(series.flatMap { $0.points.map(\.d) }.min() ?? 64)),
                                  log2(Double(series.flatMap { $0.points.map(\.d) }.max() ?? 12288))),
                         yRange: (Self.floor, log10(top)))
        out += left.frame(title: "IterNorm K = 5 mean |error| / correctly rounded's (worst distribution)",
                          xLabel: "d (vector length)", yLabel: "error ratio")
        let ds = Array(Set(series.flatMap { $0.points.map(\.d) })).sorted()
        // Every fourth power of two and the largest d: the OPT lengths crowd above 2048.
        for d in ds where d == ds.last || (d & (d - 1) == 0 && d.trailingZeroBitCount % 2 == 0) {
            out += left.xTick(log2(Double(d)), label: "\(d)")
        }
        out += yTicks(left, top: top)
        for s in series {
            let path = s.points.map { String(format: "%.1f,%.1f", left.px(log2(Double($0.d))), left.py(log10(max(1, $0.ratio)))) }
            out += "<polyline fill=\"none\" stroke=\"\(Self.colours[s.mode] ?? "black")\" stroke-width=\"2\" "
                + "stroke-dasharray=\"\(Self.dashes[s.format] ?? "")\" points=\"\(path.joined(separator: " "))\"/>\n"
        }
        out += legend(x: left.x + 10, y: left.y + 12)

        let placed = series.filter { $0.luts != nil && $0.optRatio.isFinite }
        let maxLuts = Double(placed.compactMap(\.luts).max() ?? 1)
        let right = Panel(x: 590, y: 40, width: 360, height: 330, xLog: false, xRange: (0, maxLuts * 1.15),
                          yRange: (Self.floor, log10(top)))
        out += right.frame(title: "error ratio (OPT lengths) against Xilinx LUTs, P = 64",
                           xLabel: "LUTs (synth_xilinx)", yLabel: "error ratio")
        out += yTicks(right, top: top)
        for step in 0...4 {
            let luts = maxLuts * 1.15 * Double(step) / 4
            out += right.xTick(luts, label: String(format: "%.0fk", luts / 1000))
        }
        if placed.isEmpty {
            out += "<text x=\"\(right.x + 20)\" y=\"\(right.y + right.height / 2)\">no synthesis report given (--area)</text>\n"
        }
        // Points: colour by mode, shape by format; the figures in a key (labels would overlap at 1x).
        for (i, s) in placed.enumerated() {
            let cx = right.px(Double(s.luts!)), cy = right.py(log10(max(1, s.optRatio)))
            out += marker(s, x: cx, y: cy)
            let ky = right.y + 14 + Double(i) * 16
            out += marker(s, x: right.x + 12, y: ky)
                + "<text x=\"\(fmt(right.x + 22))\" y=\"\(fmt(ky + 4))\">\(s.label): \(String(format: "%.2f", s.optRatio))x, "
                + "\(s.luts! / 1000)k LUT</text>\n"
        }
        return out + "</svg>\n"
    }

    /// log10 of the lowest ratio drawn: below 1, so that the lines at the limit stay visible.
    private static let floor = -0.3

    /// A circle for FP32, a square for the other formats, in the mode's colour.
    private func marker(_ s: Series, x: Double, y: Double) -> String {
        let colour = Self.colours[s.mode] ?? "black"
        if s.format == "fp32" { return "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"5\" fill=\"\(colour)\"/>\n" }
        return "<rect x=\"\(fmt(x - 5))\" y=\"\(fmt(y - 5))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>\n"
    }

    private func yTicks(_ panel: Panel, top: Double) -> String {
        var out = ""
        var decade = 1.0
        while decade <= top {
            out += panel.yTick(log10(decade), label: decade >= 1000 ? String(format: "%.0e", decade) : "\(Int(decade))")
            decade *= 10
        }
        return out
    }

    private func legend(x: Double, y: Double) -> String {
        var out = ""
        for (i, s) in series.enumerated() {
            let ly = y + Double(i) * 16
            out += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(ly))\" x2=\"\(fmt(x + 28))\" y2=\"\(fmt(ly))\" stroke=\"\(Self.colours[s.mode] ?? "black")\" "
                + "stroke-width=\"2\" stroke-dasharray=\"\(Self.dashes[s.format] ?? "")\"/>"
                + "<text x=\"\(fmt(x + 34))\" y=\"\(fmt(ly + 4))\">\(s.label)</text>\n"
        }
        return out
    }

    /// A plotting area with its axis ranges (in plotted units: log2 d, log10 ratio, LUTs).
    struct Panel {
        let x: Double, y: Double, width: Double, height: Double
        let xLog: Bool
        let xRange: (Double, Double), yRange: (Double, Double)

        func px(_ v: Double) -> Double {
            let span = xRange.1 - xRange.0
            return x + (span == 0 ? 0.5 : (v - xRange.0) / span) * width
        }

        func py(_ v: Double) -> Double {
            let span = yRange.1 - yRange.0
            return y + height - (span == 0 ? 0.5 : (v - yRange.0) / span) * height
        }

        func frame(title: String, xLabel: String, yLabel: String) -> String {
            "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" fill=\"none\" stroke=\"#444\"/>\n"
                + "<text x=\"\(fmt(x))\" y=\"\(fmt(y - 12))\" font-weight=\"bold\">\(title)</text>\n"
                + "<text x=\"\(fmt(x + width / 2))\" y=\"\(fmt(y + height + 38))\" text-anchor=\"middle\">\(xLabel)</text>\n"
                + "<text transform=\"translate(\(fmt(x - 48)),\(fmt(y + height / 2))) rotate(-90)\" text-anchor=\"middle\">\(yLabel)</text>\n"
        }

        func xTick(_ v: Double, label: String) -> String {
            let px = px(v)
            return "<line x1=\"\(fmt(px))\" y1=\"\(fmt(y + height))\" x2=\"\(fmt(px))\" y2=\"\(fmt(y + height + 5))\" stroke=\"#444\"/>"
                + "<text x=\"\(fmt(px))\" y=\"\(fmt(y + height + 18))\" text-anchor=\"middle\" font-size=\"10\">\(label)</text>\n"
        }

        func yTick(_ v: Double, label: String) -> String {
            let py = py(v)
            return "<line x1=\"\(fmt(x))\" y1=\"\(fmt(py))\" x2=\"\(fmt(x + width))\" y2=\"\(fmt(py))\" stroke=\"#ddd\"/>"
                + "<text x=\"\(fmt(x - 6))\" y=\"\(fmt(py + 4))\" text-anchor=\"end\" font-size=\"10\">\(label)</text>\n"
        }
    }
}

private func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

/// What the plot takes from a `normforge synth iternorm --json` report: the macro's format and
/// arithmetic mode (from its top name, `IterNorm_<format>_<accumulate>_p...`) and its LUTs.
struct SynthesisFigures {
    /// `"<format> <mode>"`, the key of `PrecisionPlot.Series` (`mode`: same, fp32 or wide).
    let key: String
    let luts: Int

    static func load(_ path: String) throws -> SynthesisFigures {
        let report: SynthesisReport
        do {
            report = try JSONOutput.decode(SynthesisReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw BadInput("--area \(path) is not a normforge synth --json report: \(error.localizedDescription)")
        }
        let parts = report.design.split(separator: "_").map(String.init)
        guard parts.count > 3, parts[0] == "IterNorm", let luts = report.xilinx?.luts else {
            throw BadInput("--area \(path): not an IterNorm macro with Xilinx figures (\(report.design))")
        }
        let (format, accumulate) = (parts[1], parts[2])
        let mode = accumulate == "wide" ? "wide" : accumulate == format && format != "fp32" ? "same" : "fp32"
        return SynthesisFigures(key: "\(format) \(mode)", luts: luts)
    }
}
