import Foundation
import Testing
@testable import GotongAssessment

/// Files written the way Moodle 4.x writes them (`Tests/Fixtures/assessment`, with what each
/// holds in its `EXPECTED.md`): every question type, categories, escapes, HTML, feedback, an
/// embedded image; and malformed files whose every problem is reported at its line.
@Suite("Moodle's question files")
struct MoodleFileTests {
    static func fixture(_ name: String) throws -> Data {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/assessment")
        return try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static func read(_ name: String) throws -> QuestionFile {
        (name.hasSuffix(".xml") ? QuestionFormat.moodlexml : .gift).read(try fixture(name))
    }

    func question(_ file: QuestionFile, _ name: String) throws -> Question {
        try #require(file.items.first { $0.question.name.hasPrefix(name) }).question
    }

    @Test func moodlesGIFTExportReadsWhole() throws {
        let file = try Self.read("moodle-export.gift")
        #expect(file.problems == [])
        #expect(file.items.map(\.line) == [11, 21, 31, 35, 46, 56, 65, 72, 82, 97, 104, 112, 116, 120, 130, 139])
        #expect(
            file.countsByKind == [
                .multipleChoice: 5, .trueFalse: 2, .matching: 2, .shortAnswer: 2, .essay: 2, .numerical: 3,
            ])
        #expect(file.items[0].category == ["Latsar CPNS", "Nilai Dasar"])
        #expect(file.items[6].category == ["Latsar CPNS", "Nilai Dasar", "Anti Korupsi"])

        let nd01 = try question(file, "ND-01")
        #expect(nd01.format == .html)
        #expect(
            nd01.text.hasPrefix(#"<p dir="ltr" style="text-align: left;">Dalam akronim <strong>BerAKHLAK</strong>"#))
        guard case .multipleChoice(let mc) = nd01.body else { throw Unexpected.kind }
        #expect(mc.single)
        #expect(mc.answers.map(\.text) == ["Kompeten", "Kolaboratif", "Komitmen", "Konsisten"])
        #expect(mc.answers.map(\.fraction) == [0, 1, 0, 0])
        #expect(mc.answers[0].feedback == "Kompeten adalah huruf K yang pertama.")
        #expect(nd01.generalFeedback.hasPrefix("Core values ASN BerAKHLAK diatur dalam Surat Edaran"))

        guard case .multipleChoice(let several) = try question(file, "ND-02").body else { throw Unexpected.kind }
        #expect(!several.single)
        #expect(several.answers.map(\.fraction) == [0.3333333, -1, 0.3333333, 0.3333333, -1])
        #expect(several.answers[0].feedback == "Ya, H = Harmonis.")

        guard case .trueFalse(let tf) = try question(file, "ND-03").body else { throw Unexpected.kind }
        #expect(tf.correct)
        #expect(tf.feedbackTrue.hasPrefix("Benar, diluncurkan bersama employer branding"))
        #expect(tf.feedbackFalse == "Kurang tepat. Peluncurannya pada 27 Juli 2021.")

        guard case .matching(let m) = try question(file, "ND-04").body else { throw Unexpected.kind }
        #expect(m.items.map(\.item) == ["Akuntabel", "Kompeten", "Harmonis", "Loyal"])
        #expect(m.pairs.last?.item == "")
        #expect(m.pairs.last?.answer == "Mengutamakan kepentingan pribadi di atas kepentingan umum")

        guard case .shortAnswer(let sa) = try question(file, "ND-05").body else { throw Unexpected.kind }
        #expect(sa.answers.map(\.text) == ["BerAKHLAK", "Ber*AKHLAK", "AKHLAK", "*"])
        #expect(sa.answers.map(\.fraction) == [1, 1, 0.5, 0])

        guard case .numerical(let n) = try question(file, "AK-01").body else { throw Unexpected.kind }
        #expect(n.answers.map(\.value) == [30])
        #expect(n.answers.first?.feedback == "Benar: 30 hari kerja (UU 20/2001, Pasal 12C).")
    }

    @Test func gIFTEscapesAreUndoneBackslashFirst() throws {
        let file = try Self.read("moodle-export.gift")
        let texts =
            file.items.map(\.question.text)
            + file.items.flatMap { item -> [String] in
                if case .multipleChoice(let mc) = item.question.body {
                    return mc.answers.flatMap { [$0.text, $0.feedback] }
                }
                return []
            }
        #expect(texts.contains { $0.contains(#"C:\Latsar\naskah"#) })
        #expect(texts.contains { $0.contains("{nomor}/{kode unit}/{tahun}") })
        #expect(!texts.contains { $0.contains("\u{E000}") || $0.contains("\u{E005}") })
    }

    @Test func moodlesXMLExportReadsWholeAndSaysWhatIsLeftOut() throws {
        let file = try Self.read("moodle-export.xml")
        #expect(file.problems == [])
        #expect(file.items.map(\.line) == [26, 90, 145, 206, 235, 293, 340, 378, 423, 452, 484, 516, 577, 607, 664])
        #expect(
            file.countsByKind == [
                .multipleChoice: 5, .trueFalse: 2, .matching: 2, .shortAnswer: 2, .essay: 2, .numerical: 2,
            ])
        // The embedded image is named, at its line, as not imported; its question is.
        #expect(file.notes.map(\.key) == ["moodlexml.note.file"])
        #expect(try question(file, "MA-06").text.contains("@@PLUGINFILE@@"))
        #expect(try question(file, "Etika & Integritas").name == "Etika & Integritas: tiga sikap")
        guard case .shortAnswer(let sensitive) = try question(file, "SA-01").body else { throw Unexpected.kind }
        #expect(sensitive.caseSensitive)
        guard case .shortAnswer(let insensitive) = try question(file, "ND-16").body else { throw Unexpected.kind }
        #expect(!insensitive.caseSensitive)
        guard case .essay(let essay) = try question(file, "MA-04").body else { throw Unexpected.kind }
        #expect(!essay.graderInfo.isEmpty)
    }

    @Test func everyBrokenGIFTQuestionIsReportedAtItsLine() throws {
        let file = try Self.read("malformed.gift")
        #expect(file.items.map(\.line) == [6, 13, 22, 25, 47, 54, 57, 59, 67])
        #expect(
            file.problems.map { "\($0.line) \($0.key)" } == [
                "8 gift.problem.unclosed", "15 bank.problem.no_right", "31 gift.problem.number",
                "33 gift.problem.number", "35 bank.problem.matching_pairs", "37 gift.problem.pair",
                "43 gift.problem.description", "45 bank.problem.category_empty", "61 gift.problem.unclosed",
                "64 gift.problem.unopened",
            ])
        // Questions after the empty category line stay where they were.
        #expect(file.items.last?.category == ["Latsar CPNS", "Nilai Dasar"])
    }

    @Test func everyBrokenXMLQuestionIsReportedAtItsLine() throws {
        let file = try Self.read("malformed.xml")
        #expect(file.items.map(\.line) == [13, 66, 116, 175, 215, 246, 266])
        #expect(
            file.problems.map { "\($0.line) \($0.key)" } == [
                "33 moodlexml.problem.unsupported", "83 bank.problem.no_right", "102 moodlexml.problem.number",
                "136 bank.problem.matching_pairs", "160 moodlexml.problem.no_text", "193 moodlexml.problem.number",
                "206 moodlexml.problem.unsupported", "237 moodlexml.problem.unsupported",
            ])
    }

    @Test func xmlThatIsNotWellFormedImportsNothing() throws {
        let file = try Self.read("broken.xml")
        #expect(file.items.isEmpty)
        #expect(file.problems.map(\.key) == ["moodlexml.problem.malformed"])
        // libxml2 notices the unclosed <text> of line 46 where the next end tag does not match.
        #expect((46...48).contains(file.problems.first?.line ?? 0))
    }

    @Test(arguments: ["moodle-export.gift", "moodle-export.xml", "malformed.gift", "malformed.xml"])
    func whatIsImportedExportsAndReimportsToTheSameQuestions(name: String) throws {
        let original = try Self.read(name).items.map { (category: $0.category, question: $0.question) }
        for format in QuestionFormat.allCases {
            let again = format.read(Data(format.write(original).utf8))
            #expect(again.problems == [])
            var expected = original.map(\.question)
            if format == .gift { expected = expected.map(\.giftable) }
            #expect(again.items.map(\.question) == expected)
            #expect(again.items.map(\.category) == original.map(\.category))
        }
    }

    enum Unexpected: Error { case kind }
}

extension Question {
    /// What GIFT keeps of a question: no mark, shuffling, case sensitivity, or essay template
    /// and grader information.
    var giftable: Question {
        var copy = self
        copy.defaultMark = 1
        switch body {
        case .multipleChoice(var mc):
            mc.shuffle = true
            copy.body = .multipleChoice(mc)
        case .shortAnswer(var sa):
            sa.caseSensitive = false
            copy.body = .shortAnswer(sa)
        case .matching(var m):
            m.shuffle = true
            copy.body = .matching(m)
        case .essay: copy.body = .essay(Essay())
        case .trueFalse, .numerical: break
        }
        return copy
    }
}
