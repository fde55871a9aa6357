import Foundation

/// A distribution as a small inline SVG: one horizontal bar per point or choice with its
/// count, scaled to the largest. It is an image with a text alternative that says the same
/// numbers, so a screen reader and a slow phone lose nothing; no script, no library. Shared
/// by the evaluation's results and the service desk's dashboard.
public enum BarChart {
    static let width = 320
    static let rowHeight = 22

    public static func svg(labels: [String], counts: [Int], summary: String) -> String {
        let top = max(1, counts.max() ?? 1)
        let height = rowHeight * counts.count + 4
        let labelWidth = 96
        let barSpace = width - labelWidth - 40
        let h = HTMLText()
        h.raw("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" ")
            .raw("width=\"100%\" style=\"max-width:\(width)px\" role=\"img\" aria-label=\"").attr(summary).raw("\">")
        for (n, count) in counts.enumerated() {
            let y = n * rowHeight + 2
            let bar = count == 0 ? 0 : max(2, count * barSpace / top)
            let label = n < labels.count ? labels[n] : "\(n + 1)"
            h.raw("<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\" fill=\"currentColor\">")
                .text(String(label.prefix(16))).raw("</text>")
                .raw("<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(bar)\" height=\"15\" rx=\"2\"")
                .raw(" fill=\"#1f5f8b\"/>")
                .raw("<text x=\"\(labelWidth + bar + 4)\" y=\"\(y + 15)\" font-size=\"12\" fill=\"currentColor\">")
                .text("\(count)").raw("</text>")
        }
        return h.raw("</svg>").string
    }
}
