import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// The course overview charts, drawn on the server as small SVG (no script, no library):
/// completions over time as a cumulative line, and the funnel of activities — how many
/// participants reached each step — so a coordinator sees where people drop out.
enum MonitoringCharts {
    static let width = 640.0
    static let rowHeight = 26.0

    /// Cumulative completions by day. `labels` are the first and last day as the reader writes them.
    static func completions(
        _ days: [(day: Date, count: Int)], participants: Int, labels: (String, String)?, title: String
    ) -> String {
        let height = 180.0, left = 40.0, bottom = 24.0, top = 12.0
        let plotW = width - left - 12, plotH = height - top - bottom
        var cumulative: [Int] = []
        for day in days { cumulative.append((cumulative.last ?? 0) + day.count) }
        let maxY = Double(max(participants, cumulative.last ?? 0, 1))
        var svg = header(width: width, height: height, title: title)
        svg += line(x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, css: "axis")
        svg += line(x1: left, y1: top, x2: left, y2: top + plotH, css: "axis")
        svg += text(x: left - 6, y: top + 4, anchor: "end", "\(Int(maxY))")
        svg += text(x: left - 6, y: top + plotH, anchor: "end", "0")
        if cumulative.isEmpty {
            svg += text(x: left + plotW / 2, y: top + plotH / 2, anchor: "middle", "—")
        } else {
            let first = days.first!.day.timeIntervalSince1970, last = days.last!.day.timeIntervalSince1970
            let span = max(last - first, 86_400)
            let points = zip(days, cumulative).map { day, total -> String in
                let x = left + plotW * (day.day.timeIntervalSince1970 - first) / span
                let y = top + plotH * (1 - Double(total) / maxY)
                return "\(n(x)),\(n(y))"
            }
            svg += "<polyline class=\"line\" points=\"\(points.joined(separator: " "))\"/>"
            if let labels {
                svg += text(x: left, y: height - 6, anchor: "start", labels.0)
                svg += text(x: left + plotW, y: height - 6, anchor: "end", labels.1)
            }
        }
        return svg + "</svg>"
    }

    /// One bar per activity in course order: how many participants opened it, of all.
    static func funnel(_ steps: [(title: String, reached: Int)], participants: Int, title: String) -> String {
        let labelW = 240.0, barW = width - labelW - 60
        let height = Double(max(steps.count, 1)) * rowHeight + 8
        var svg = header(width: width, height: height, title: title)
        for (i, step) in steps.enumerated() {
            let y = 4 + Double(i) * rowHeight
            let share = participants == 0 ? 0 : Double(step.reached) / Double(participants)
            let label = step.title.count > 34 ? String(step.title.prefix(33)) + "…" : step.title
            svg += text(x: labelW - 6, y: y + 16, anchor: "end", "\(i + 1). \(label)")
            svg += "<rect class=\"track\" x=\"\(n(labelW))\" y=\"\(n(y + 2))\" width=\"\(n(barW))\" height=\"18\"/>"
            svg +=
                "<rect class=\"bar\" x=\"\(n(labelW))\" y=\"\(n(y + 2))\" width=\"\(n(barW * share))\" height=\"18\"/>"
            svg += text(x: labelW + barW + 6, y: y + 16, anchor: "start", "\(step.reached)")
        }
        return svg + "</svg>"
    }

    private static func header(width: Double, height: Double, title: String) -> String {
        """
        <svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" \
        role=\"img\" aria-label=\"\(escape(title))\">
        """
            + "<title>\(escape(title))</title>"
    }

    private static func line(x1: Double, y1: Double, x2: Double, y2: Double, css: String) -> String {
        "<line class=\"\(css)\" x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\"/>"
    }

    private static func text(x: Double, y: Double, anchor: String, _ content: String) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\">" + escape(content) + "</text>"
    }

    /// A coordinate with one decimal, whatever the process's locale.
    private static func n(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))" : "\(tenths / 10)"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
