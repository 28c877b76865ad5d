import Foundation

/// Small inline-SVG charts for the reports and the design-space plots: lines over a (log2) x
/// axis, labelled scatter points with a front, and horizontal bars. Plain SVG, no script; text
/// is escaped.
public enum SVGChart {
    public struct Series: Sendable {
        public var name: String
        public var colour: String
        public var dashed = false
        public var points: [(x: Double, y: Double)]

        public init(name: String, colour: String, dashed: Bool = false, points: [(x: Double, y: Double)]) {
            self.name = name
            self.colour = colour
            self.dashed = dashed
            self.points = points
        }
    }

    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    /// A line chart; `xLog2`/`yLog10` plot those axes logarithmically (ticks at the data's x values).
    public static func lines(title: String, xLabel: String, yLabel: String, series: [Series], xLog2: Bool = true,
                      yLog10: Bool = false, width: Double = 560, height: Double = 320) -> String {
        // The key takes rows of three below the axis label.
        let keyRows = max(1, (series.count + 2) / 3)
        let plotX = 70.0, plotY = 36.0, plotW = width - 90, plotH = height - 90 - Double(keyRows - 1) * 14
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }.filter { $0.isFinite }
        func tx(_ v: Double) -> Double { xLog2 ? log2(max(v, 1e-300)) : v }
        func ty(_ v: Double) -> Double { yLog10 ? log10(max(v, 1e-300)) : v }
        let xMin = tx(xs.min() ?? 1), xMax = tx(xs.max() ?? 2)
        var yMin = ty(ys.min() ?? 0), yMax = ty(ys.max() ?? 1)
        if !yLog10 { yMin = min(0, yMin) }
        if yLog10 { yMin = floor(yMin); yMax = ceil(yMax) }
        if yMax - yMin < 1e-12 { yMax = yMin + 1 }
        if !yLog10 { yMax += (yMax - yMin) * 0.08 }
        func px(_ v: Double) -> Double { plotX + (xMax > xMin ? (tx(v) - xMin) / (xMax - xMin) : 0.5) * plotW }
        func py(_ v: Double) -> Double { plotY + plotH - (ty(v) - yMin) / (yMax - yMin) * plotH }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n"
            + "<title>\(escape(title))</title><rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + "<text x=\"\(f(plotX))\" y=\"20\" font-weight=\"bold\" font-size=\"12\">\(escape(title))</text>\n"
            + "<rect x=\"\(f(plotX))\" y=\"\(f(plotY))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#444\"/>\n"
        for x in Array(Set(xs)).sorted() {
            out += "<line x1=\"\(f(px(x)))\" y1=\"\(f(plotY + plotH))\" x2=\"\(f(px(x)))\" y2=\"\(f(plotY + plotH + 4))\" stroke=\"#444\"/>"
                + "<text x=\"\(f(px(x)))\" y=\"\(f(plotY + plotH + 16))\" text-anchor=\"middle\">\(label(x))</text>\n"
        }
        let steps = yLog10 ? Int(yMax - yMin) : 4
        for i in 0...max(1, steps) {
            let t = yMin + (yMax - yMin) * Double(i) / Double(max(1, steps))
            let v = yLog10 ? pow(10, t) : t
            let y = plotY + plotH - Double(i) / Double(max(1, steps)) * plotH
            out += "<line x1=\"\(f(plotX))\" y1=\"\(f(y))\" x2=\"\(f(plotX + plotW))\" y2=\"\(f(y))\" stroke=\"#e4e4e4\"/>"
                + "<text x=\"\(f(plotX - 5))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(label(v))</text>\n"
        }
        out += "<text x=\"\(f(plotX + plotW / 2))\" y=\"\(f(plotY + plotH + 32))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
            + "<text transform=\"translate(16,\(f(plotY + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for s in series {
            let points = s.points.filter { $0.y.isFinite }.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6,3\"" : "") points=\"\(points)\"/>\n"
            for p in s.points where p.y.isFinite {
                out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" fill=\"\(s.colour)\"/>"
            }
            out += "\n"
        }
        for (i, s) in series.enumerated() {
            let lx = plotX + 10 + Double(i % 3) * (plotW / 3), ly = plotY + plotH + 52 + Double(i / 3) * 14
            out += "<line x1=\"\(f(lx))\" y1=\"\(f(ly - 4))\" x2=\"\(f(lx + 20))\" y2=\"\(f(ly - 4))\" stroke=\"\(s.colour)\" stroke-width=\"2\""
                + "\(s.dashed ? " stroke-dasharray=\"6,3\"" : "")/><text x=\"\(f(lx + 24))\" y=\"\(f(ly))\">\(escape(s.name))</text>\n"
        }
        return out + "</svg>"
    }

    /// One point of a scatter chart, labelled beside its marker.
    public struct LabelledPoint: Sendable {
        public var x: Double
        public var y: Double
        public var label: String

        public init(x: Double, y: Double, label: String) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    /// Scatter points in groups (one colour and key entry each) on log-log axes, ticks at 1, 2
    /// and 5 times each power of ten, and `front` (for example a Pareto front) joined by a dashed
    /// staircase: the best y reached at each x.
    public static func scatter(title: String, subtitle: String? = nil, xLabel: String, yLabel: String,
                               groups: [(name: String, points: [LabelledPoint])], front: [LabelledPoint],
                               width: Double = 720, height: Double = 440) -> String {
        let keyRows = max(1, (groups.count + 2) / 3)
        let plotX = 80.0, plotY = subtitle == nil ? 36.0 : 50.0
        let plotW = width - 110, plotH = height - plotY - 60 - Double(keyRows) * 14
        let all = groups.flatMap(\.points).filter { $0.x > 0 && $0.y > 0 && $0.x.isFinite && $0.y.isFinite }
        // Half a decade of margin around the data, on each log axis.
        let xMin = log10(all.map(\.x).min() ?? 1) - 0.08, xMax = log10(all.map(\.x).max() ?? 10) + 0.08
        let yMin = log10(all.map(\.y).min() ?? 1) - 0.08, yMax = log10(all.map(\.y).max() ?? 10) + 0.08
        func px(_ v: Double) -> Double { plotX + (log10(v) - xMin) / max(xMax - xMin, 1e-9) * plotW }
        func py(_ v: Double) -> Double { plotY + plotH - (log10(v) - yMin) / max(yMax - yMin, 1e-9) * plotH }
        func ticks(_ low: Double, _ high: Double) -> [Double] {
            var values: [Double] = []
            for decade in Int(floor(low))...Int(ceil(high)) {
                for m in [1.0, 2, 5] {
                    let v = m * pow(10, Double(decade))
                    if log10(v) >= low && log10(v) <= high { values.append(v) }
                }
            }
            guard values.count < 2 else { return values }
            // A range under a factor of 2 or so: its ends, to two significant digits.
            return [low + 0.02, high - 0.02].map { t in
                let v = pow(10, t), scale = pow(10, floor(t) - 1)
                return (v / scale).rounded() * scale
            }
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n"
            + "<title>\(escape(title))</title><rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + "<text x=\"\(f(plotX))\" y=\"20\" font-weight=\"bold\" font-size=\"12\">\(escape(title))</text>\n"
        if let subtitle {
            out += "<text x=\"\(f(plotX))\" y=\"36\" fill=\"#555\">\(escape(subtitle))</text>\n"
        }
        out += "<rect x=\"\(f(plotX))\" y=\"\(f(plotY))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#444\"/>\n"
        for v in ticks(xMin, xMax) {
            out += "<line x1=\"\(f(px(v)))\" y1=\"\(f(plotY))\" x2=\"\(f(px(v)))\" y2=\"\(f(plotY + plotH))\" stroke=\"#e4e4e4\"/>"
                + "<text x=\"\(f(px(v)))\" y=\"\(f(plotY + plotH + 16))\" text-anchor=\"middle\">\(label(v))</text>\n"
        }
        for v in ticks(yMin, yMax) {
            out += "<line x1=\"\(f(plotX))\" y1=\"\(f(py(v)))\" x2=\"\(f(plotX + plotW))\" y2=\"\(f(py(v)))\" stroke=\"#e4e4e4\"/>"
                + "<text x=\"\(f(plotX - 5))\" y=\"\(f(py(v) + 4))\" text-anchor=\"end\">\(label(v))</text>\n"
        }
        out += "<text x=\"\(f(plotX + plotW / 2))\" y=\"\(f(plotY + plotH + 34))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
            + "<text transform=\"translate(18,\(f(plotY + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        let staircase = front.sorted { $0.x < $1.x }
        if staircase.count > 1 {
            var path: [String] = []
            for (i, p) in staircase.enumerated() {
                if i > 0 { path.append("\(f(px(p.x))),\(f(py(staircase[i - 1].y)))") }
                path.append("\(f(px(p.x))),\(f(py(p.y)))")
            }
            out += "<polyline fill=\"none\" stroke=\"#888\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\" points=\"\(path.joined(separator: " "))\"/>\n"
        }
        for (g, group) in groups.enumerated() {
            let colour = palette[g % palette.count]
            for p in group.points where p.x > 0 && p.y > 0 && p.x.isFinite && p.y.isFinite {
                let onFront = front.contains { $0.x == p.x && $0.y == p.y }
                out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"\(onFront ? 5 : 3.5)\" fill=\"\(colour)\""
                    + (onFront ? " stroke=\"black\" stroke-width=\"1.2\"" : "") + "/>"
                    + "<text x=\"\(f(px(p.x) + 7))\" y=\"\(f(py(p.y) - 5))\" font-size=\"9\" fill=\"\(colour)\">\(escape(p.label))</text>\n"
            }
        }
        for (g, group) in groups.enumerated() {
            let lx = plotX + 10 + Double(g % 3) * (plotW / 3), ly = plotY + plotH + 54 + Double(g / 3) * 14
            out += "<circle cx=\"\(f(lx + 6))\" cy=\"\(f(ly - 4))\" r=\"4\" fill=\"\(palette[g % palette.count])\"/>"
                + "<text x=\"\(f(lx + 16))\" y=\"\(f(ly))\">\(escape(group.name))</text>\n"
        }
        if staircase.count > 1 {
            let lx = plotX + plotW - 170, ly = plotY + 16
            out += "<line x1=\"\(f(lx))\" y1=\"\(f(ly - 4))\" x2=\"\(f(lx + 20))\" y2=\"\(f(ly - 4))\" stroke=\"#888\" stroke-dasharray=\"5,3\"/>"
                + "<text x=\"\(f(lx + 24))\" y=\"\(f(ly))\">Pareto front (ringed)</text>\n"
        }
        return out + "</svg>"
    }

    /// Horizontal bars, one per (label, value), longest first, with the value printed.
    public static func bars(title: String, unit: String, items: [(label: String, value: Double)], width: Double = 560) -> String {
        let rowH = 20.0, labelW = 230.0, top = 34.0
        let height = top + rowH * Double(items.count) + 12
        let maxValue = items.map(\.value).max() ?? 1
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n"
            + "<title>\(escape(title))</title><rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + "<text x=\"4\" y=\"20\" font-weight=\"bold\" font-size=\"12\">\(escape(title))</text>\n"
        for (i, item) in items.sorted(by: { $0.value > $1.value }).enumerated() {
            let y = top + rowH * Double(i)
            let w = maxValue > 0 ? (width - labelW - 90) * item.value / maxValue : 0
            out += "<text x=\"\(f(labelW - 6))\" y=\"\(f(y + 13))\" text-anchor=\"end\">\(escape(item.label))</text>"
                + "<rect x=\"\(f(labelW))\" y=\"\(f(y + 3))\" width=\"\(f(max(w, 1)))\" height=\"\(f(rowH - 6))\" fill=\"\(palette[i % palette.count])\"/>"
                + "<text x=\"\(f(labelW + w + 4))\" y=\"\(f(y + 13))\">\(label(item.value)) \(escape(unit))</text>\n"
        }
        return out + "</svg>"
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A short number: integers as is, small values in exponent form.
    public static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e7 { return String(Int(v)) }
        if abs(v) >= 0.01 && abs(v) < 1e5 { return String(format: "%.2f", v) }
        return String(format: "%.1e", v)
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
