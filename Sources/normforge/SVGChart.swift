import Foundation

/// Small inline-SVG charts for the HTML report: lines over a (log2) x axis and horizontal bars.
/// Plain SVG, no script; text is escaped.
enum SVGChart {
    struct Series {
        var name: String
        var colour: String
        var dashed = false
        var points: [(x: Double, y: Double)]
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    /// A line chart; `xLog2`/`yLog10` plot those axes logarithmically (ticks at the data's x values).
    static func lines(title: String, xLabel: String, yLabel: String, series: [Series], xLog2: Bool = true,
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

    /// Horizontal bars, one per (label, value), longest first, with the value printed.
    static func bars(title: String, unit: String, items: [(label: String, value: Double)], width: Double = 560) -> String {
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

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A short number: integers as is, small values in exponent form.
    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e7 { return String(Int(v)) }
        if abs(v) >= 0.01 && abs(v) < 1e5 { return String(format: "%.2f", v) }
        return String(format: "%.1e", v)
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
