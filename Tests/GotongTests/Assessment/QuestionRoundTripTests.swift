import Foundation
import Testing
@testable import GotongAssessment

/// An export re-imports to the same questions, in both formats, whatever characters the texts
/// hold: every kind of question, made at random from a fixed seed with the characters each
/// format escapes.
@Suite("Question export round trips")
struct QuestionRoundTripTests {
    /// A small generator with a fixed seed, so a failure can be repeated.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    static let alphabet = Array("abc XYZ éàñ ~=#{}:\\<>&\"'%/ ]]> 12 \n-> ;")

    static func text(_ g: inout Seeded, _ length: ClosedRange<Int> = 1...30) -> String {
        var s = String((0..<Int.random(in: length, using: &g)).map { _ in alphabet.randomElement(using: &g)! })
        s = s.trimmingCharacters(in: .whitespacesAndNewlines)
        // Texts are stored trimmed, and an answer never holds GIFT's pair arrow.
        while s.contains("->") { s = s.replacingOccurrences(of: "->", with: "-") }
        return s.isEmpty ? "x" : s
    }

    static func question(_ kind: QuestionKind, _ g: inout Seeded, gift: Bool) -> Question {
        let body: QuestionBody
        switch kind {
        case .multipleChoice:
            let single = Bool.random(using: &g)
            let answers = (0..<3).map { i in
                Answer(text(&g), fraction: single ? (i == 0 ? 1 : 0) : [0.5, 0.5, -1][i], feedback: text(&g, 0...20))
            }
            body = .multipleChoice(MultipleChoice(single: single, answers: answers))
        case .trueFalse:
            body = .trueFalse(
                TrueFalse(
                    correct: Bool.random(using: &g), feedbackTrue: text(&g, 0...9), feedbackFalse: text(&g, 0...9)))
        case .shortAnswer:
            body = .shortAnswer(
                ShortAnswer(answers: [
                    Answer(text(&g), fraction: 1, feedback: text(&g, 0...9)), Answer("ab*", fraction: 0.3333333),
                ]))
        case .numerical:
            body = .numerical(
                Numerical(answers: [
                    NumericAnswer(3.25, tolerance: 0.5, fraction: 1, feedback: text(&g, 0...9)),
                    NumericAnswer(-20, fraction: 0.5),
                ]))
        case .matching:
            body = .matching(Matching(pairs: (0..<3).map { _ in .init(text(&g), text(&g)) }))
        case .essay:
            body = .essay(gift ? Essay() : Essay(lines: 10, template: text(&g, 0...20), graderInfo: text(&g, 0...20)))
        }
        return Question(
            name: text(&g).replacingOccurrences(of: "\n", with: " "), text: text(&g, 1...80),
            format: [.plain, .html, .markdown, .moodle].randomElement(using: &g)!, generalFeedback: text(&g, 0...20),
            defaultMark: gift ? 1 : 2.5, body: body)
    }

    static func bank(gift: Bool, seed: UInt64) -> [(category: [String], question: Question)] {
        var g = Seeded(state: seed)
        return QuestionKind.allCases.flatMap { kind in
            (0..<8).map { i in ([["Latsar", "Nilai/Dasar"], [], ["Umum"]][i % 3], question(kind, &g, gift: gift)) }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func giftExportReimportsToTheSameQuestions(seed: UInt64) {
        let original = Self.bank(gift: true, seed: seed)
        let file = GIFTReader.read(GIFTWriter.write(original))
        #expect(file.problems == [])
        #expect(file.items.count == original.count)
        for (read, written) in zip(file.items, original) {
            #expect(read.question == written.question)
            #expect(read.category == written.category)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func moodleXMLExportReimportsToTheSameQuestions(seed: UInt64) {
        let original = Self.bank(gift: false, seed: seed)
        let file = MoodleXMLReader.read(Data(MoodleXMLWriter.write(original).utf8))
        #expect(file.problems == [])
        #expect(file.items.count == original.count)
        for (read, written) in zip(file.items, original) {
            #expect(read.question == written.question)
            #expect(read.category == written.category)
        }
    }
}
