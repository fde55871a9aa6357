import Foundation
import GotongPlatform

/// The image of a badge with no uploaded picture: a round medal in the tenant's colour with
/// the course's initials and its JP, drawn as a small SVG (under 1 KB) that every Open Badges
/// displayer shows and no font has to be fetched for.
enum BadgeImage {
    static func svg(courseTitle: String, jp: Int, color: String) -> String {
        let fill = isHexColor(color) ? color : "#1f5f8b"
        let text = "text-anchor=\"middle\" font-family=\"sans-serif\" fill=\"#fff\""
        return HTMLText()
            .raw(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"240\" viewBox=\"0 0 240 240\" "
                    + "role=\"img\" aria-label=\""
            ).attr(courseTitle)
            .raw("\"><circle cx=\"120\" cy=\"120\" r=\"116\" fill=\"\(fill)\"/>")
            .raw(
                "<circle cx=\"120\" cy=\"120\" r=\"100\" fill=\"none\" stroke=\"#fff\" stroke-width=\"4\" "
                    + "stroke-dasharray=\"6 5\"/>"
            )
            .raw("<text x=\"120\" y=\"118\" \(text) font-size=\"56\" font-weight=\"700\">")
            .text(initials(of: courseTitle))
            .raw("</text><text x=\"120\" y=\"168\" \(text) font-size=\"26\">\(jp) JP</text></svg>").string
    }

    /// Up to three initials of the title's words, skipping the small ones ("dan", "di", …); none
    /// for a title of no letters (the medal then shows its JP alone).
    static func initials(of title: String) -> String {
        let small: Set<String> = ["dan", "di", "ke", "dari", "yang", "untuk", "bagi", "of", "and", "the", "for"]
        let words = title.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let kept = words.filter { !small.contains($0.lowercased()) }
        let letters = (kept.isEmpty ? words : kept).prefix(3).compactMap { $0.first.map { String($0).uppercased() } }
        return letters.joined()
    }

    private static func isHexColor(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }
}
