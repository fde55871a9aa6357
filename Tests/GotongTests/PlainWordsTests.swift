import Foundation
import Testing
@testable import Gotong
@testable import GotongPlatform

/// What pages say is read by civil servants on cheap phones: words they know, and no symbols
/// their phone may not draw.
@Suite("Plain words")
struct PlainWordsTests {
    /// Technical words staff expect may stand in parentheses after the plain word ("Alamat halaman
    /// (slug)"), never alone.
    static let technical = ["Markdown", "slug", "Tag", "Token API", "Log audit", "Blended", "MOOC", "Sinkron", "Galat"]

    static func indonesianStrings() throws -> [(key: String, text: String)] {
        try GotongModules.resources().flatMap { try $0.strings(.id).map { (key: $0.key, text: $0.value) } }
    }

    @Test func technicalWordsStandOnlyInParentheses() throws {
        let strings = try Self.indonesianStrings()
        #expect(strings.count > 300)
        var found: [String] = []
        for (key, text) in strings {
            // Drop what stands in parentheses and placeholders, then look for the words alone.
            let outside = text.replacing(try Regex(#"\([^)]*\)|\{[a-z_]+\}"#), with: "")
            for word in Self.technical
            where outside.range(of: "\\b\(word)\\b", options: [.regularExpression, .caseInsensitive]) != nil {
                found.append("\(key): \(text)")
            }
        }
        #expect(found.isEmpty, "\(found)")
    }

    /// Emoji and dingbats (🔒, ✓) are missing from many phones' fonts; pages use inline icons.
    @Test func noPictographsInStringsOrViews() throws {
        let pictograph = try Regex(#"[\u{2600}-\u{27BF}\u{1F300}-\u{1FAFF}]"#)
        var found: [String] = []
        for language in Language.allCases {
            for module in try GotongModules.resources() {
                for (key, text) in try module.strings(language) where text.contains(pictograph) {
                    found.append("\(module.module) \(language): \(key)")
                }
            }
        }
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources").path
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources))
        var read = 0
        while let file = enumerator.nextObject() as? String {
            guard file.hasSuffix(".swift") || file.hasSuffix(".js") else { continue }
            read += 1
            let lines = try String(contentsOfFile: sources + "/" + file, encoding: .utf8).split(separator: "\n")
            for (n, line) in lines.enumerated() where !line.trimmingPrefix(while: \.isWhitespace).hasPrefix("//") {
                if line.contains(pictograph) { found.append("\(file):\(n + 1)") }
            }
        }
        #expect(read > 100, "the sources were read")
        #expect(found.isEmpty, "\(found)")
    }
}
