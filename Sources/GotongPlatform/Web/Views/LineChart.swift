import Foundation

/// A trend as a small inline SVG: one line through the values in order, each point labelled
/// with its value, the first and last positions named under the axis. Missing values break
/// the line. It is an image with a text alternative; the page's table holds every number.
public enum LineChart {
    public static let width = 320
    public static let height = 150

    /// `labels` name the positions (episode numbers); `values` are plotted; `format` writes a
    /// value as the chart shows it.
    public static func svg(
        labels: [String], values: [Double?], summary: String, format: (Double) -> String
    ) -> String {
        let known = values.compactMap { $0 }
        let top = max(known.max() ?? 1, 0.000_001)
        let (left, right, topPad, bottom) = (8.0, 8.0, 18.0, 22.0)
        let plotWidth = Double(width) - left - right
        let plotHeight = Double(height) - topPad - bottom
        let step = values.count > 1 ? plotWidth / Double(values.count - 1) : 0
        func x(_ i: Int) -> Double { values.count > 1 ? left + Double(i) * step : left + plotWidth / 2 }
        func y(_ v: Double) -> Double { topPad + plotHeight - v / top * plotHeight }
        let h = HTMLText()
        h.raw("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" ")
            .raw("role=\"img\" aria-label=\"").attr(summary).raw("\"><title>").text(summary).raw("</title>")
            .raw("<line class=\"axis\" x1=\"\(left)\" y1=\"\(topPad + plotHeight)\" x2=\"\(left + plotWidth)\" ")
            .raw("y2=\"\(topPad + plotHeight)\"/>")
        var segment: [String] = []
        func flush() {
            if segment.count > 1 {
                h.raw("<polyline class=\"line\" points=\"")
                    .raw(segment.joined(separator: " ")).raw("\"/>")
            }
            segment = []
        }
        for (i, value) in values.enumerated() {
            guard let value else {
                flush()
                continue
            }
            let (px, py) = (round1(x(i)), round1(y(value)))
            segment.append("\(px),\(py)")
            h.raw("<circle class=\"dot\" cx=\"\(px)\" cy=\"\(py)\" r=\"3\"/>")
            if values.count <= 12 {
                h.raw("<text x=\"\(px)\" y=\"\(round1(py - 6))\" text-anchor=\"middle\">").text(format(value))
                    .raw("</text>")
            }
        }
        flush()
        if let first = labels.first, let last = labels.last {
            let baseline = Double(height) - 6
            h.raw("<text x=\"\(left)\" y=\"\(baseline)\">").text(first)
                .raw("</text><text x=\"\(left + plotWidth)\" y=\"\(baseline)\" text-anchor=\"end\">").text(last)
                .raw("</text>")
        }
        return h.raw("</svg>").string
    }

    private static func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
