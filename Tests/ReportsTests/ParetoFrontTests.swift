import Reports
import Testing

@Suite struct ParetoFrontTests {
    @Test func dominatedAndNonFinitePointsAreOffTheFront() {
        let costs: [(Double, Double)] = [(1, 9), (2, 5), (3, 5), (4, 1), (2, 6), (.infinity, 0), (5, 1)]
        // (3,5) loses to (2,5); (2,6) to (2,5); (5,1) to (4,1); the infinite cost is never on it.
        #expect(ParetoFront.indices(costs) == [0, 1, 3])
    }

    @Test func equalPointsAreBothOnTheFront() {
        #expect(ParetoFront.indices([(1, 1), (1, 1), (2, 2)]) == [0, 1])
    }

    @Test func theScatterChartMarksTheFrontAndEscapesText() {
        let a = SVGChart.LabelledPoint(x: 10, y: 100, label: "P=4 <a&b>"), b = SVGChart.LabelledPoint(x: 40, y: 20, label: "P=16")
        let svg = SVGChart.scatter(title: "t", xLabel: "ns", yLabel: "mm^2", groups: [("fp32", [a, b])], front: [a, b])
        #expect(svg.contains("P=4 &lt;a&amp;b&gt;") && !svg.contains("<a&b>"))
        #expect(svg.components(separatedBy: "stroke=\"black\"").count == 3)
        #expect(svg.contains("Pareto front"))
    }
}
