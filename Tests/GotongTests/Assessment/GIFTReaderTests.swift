import Foundation
import Testing
@testable import GotongAssessment

/// GIFT as trainers and Moodle write it: each kind of question, its feedback, escapes,
/// categories, and every problem at its line.
@Suite("GIFT reader")
struct GIFTReaderTests {
    func only(_ source: String) throws -> Question {
        let file = GIFTReader.read(source)
        #expect(file.problems == [])
        return try #require(file.items.first).question
    }

    @Test func multipleChoiceWithOneRightAnswerAndFeedback() throws {
        let q = try only(
            """
            // a comment Moodle ignores
            ::Nilai dasar::Apa kepanjangan huruf A pada BerAKHLAK? {
              =Akuntabel#Benar, A untuk Akuntabel.
              ~Adaptif#Adaptif adalah huruf A yang kedua.
              ~Amanah
              ####BerAKHLAK: Berorientasi pelayanan, Akuntabel, Kompeten, Harmonis, Loyal, Adaptif, Kolaboratif.
            }
            """)
        #expect(q.name == "Nilai dasar")
        #expect(q.text == "Apa kepanjangan huruf A pada BerAKHLAK?")
        #expect(q.format == .moodle)
        #expect(q.generalFeedback.hasPrefix("BerAKHLAK: Berorientasi"))
        guard case .multipleChoice(let mc) = q.body else { Issue.record("not multiple choice"); return }
        #expect(mc.single)
        #expect(mc.answers.map(\.text) == ["Akuntabel", "Adaptif", "Amanah"])
        #expect(mc.answers.map(\.fraction) == [1, 0, 0])
        #expect(mc.answers[0].feedback == "Benar, A untuk Akuntabel.")
    }

    @Test func severalRightAnswersShareTheMark() throws {
        let q = try only("Pilih dua nilai dasar ASN {~%50%Akuntabel ~%50%Kompeten ~%-100%Korupsi}")
        guard case .multipleChoice(let mc) = q.body else { Issue.record("not multiple choice"); return }
        #expect(!mc.single)
        #expect(mc.answers.map(\.fraction) == [0.5, 0.5, -1])
        #expect(q.name == "Pilih dua nilai dasar ASN")
    }

    @Test func trueFalseWithFeedbackForWrongThenRight() throws {
        let q = try only("::JP::Satu JP sama dengan 45 menit.{TRUE#Satu JP adalah 45 menit.#Tepat.}")
        #expect(
            q.body
                == .trueFalse(
                    TrueFalse(correct: true, feedbackTrue: "Tepat.", feedbackFalse: "Satu JP adalah 45 menit.")))
        let f = try only("Latsar hanya daring. {F}")
        #expect(f.body == .trueFalse(TrueFalse(correct: false)))
    }

    @Test func shortAnswerWithWeightsAndWildcard() throws {
        let q = try only(
            "Lembaga pembina pelatihan ASN adalah {=LAN =Lembaga Administrasi Negara =%50%Lembaga*#Hampir.}")
        guard case .shortAnswer(let sa) = q.body else { Issue.record("not short answer"); return }
        #expect(sa.answers.map(\.text) == ["LAN", "Lembaga Administrasi Negara", "Lembaga*"])
        #expect(sa.answers.map(\.fraction) == [1, 1, 0.5])
        #expect(sa.answers[2].feedback == "Hampir.")
    }

    @Test func numericalInEveryForm() throws {
        #expect(
            try only("Berapa JP minimal setahun? {#20}").body == .numerical(Numerical(answers: [NumericAnswer(20)])))
        #expect(
            try only("Pi? {#3.14:0.01}").body
                == .numerical(Numerical(answers: [NumericAnswer(3.14, tolerance: 0.01)])))
        #expect(
            try only("Antara? {#1..5}").body == .numerical(Numerical(answers: [NumericAnswer(3, tolerance: 2)])))
        let q = try only("Tahun PP 17? {#\n=2020:0#Tepat.\n=%50%2020:2#Dekat.\n}")
        #expect(
            q.body
                == .numerical(
                    Numerical(answers: [
                        NumericAnswer(2020, tolerance: 0, fraction: 1, feedback: "Tepat."),
                        NumericAnswer(2020, tolerance: 2, fraction: 0.5, feedback: "Dekat."),
                    ])))
    }

    @Test func matchingPairs() throws {
        let q = try only(
            """
            Jodohkan. {
              =Klasikal -> Tatap muka
              =Non-klasikal -> E-learning
              =Latsar -> CPNS
            }
            """)
        #expect(
            q.body
                == .matching(
                    Matching(pairs: [
                        .init("Klasikal", "Tatap muka"), .init("Non-klasikal", "E-learning"), .init("Latsar", "CPNS"),
                    ])))
    }

    @Test func essayAndItsGeneralFeedback() throws {
        #expect(try only("Jelaskan 70:20:10. {}").body == .essay(Essay()))
        let q = try only("Jelaskan. {####Sebut ketiga unsur.}")
        #expect(q.generalFeedback == "Sebut ketiga unsur.")
    }

    @Test func escapesAndFormatsAndNewLines() throws {
        let q = try only(
            ##"::Rasio\: 70\:20\:10::[html]<p>Nilai a \= b \{c\} \~ \#1\\</p>\nBaris dua{=ya\#1 ~tidak\~}"##)
        #expect(q.name == "Rasio: 70:20:10")
        #expect(q.format == .html)
        #expect(q.text == "<p>Nilai a = b {c} ~ #1\\</p>\nBaris dua")
        guard case .multipleChoice(let mc) = q.body else { Issue.record("not multiple choice"); return }
        #expect(mc.answers.map(\.text) == ["ya#1", "tidak~"])
    }

    @Test func missingWordKeepsTheTextAroundTheGap() throws {
        let q = try only("Setiap PNS wajib {=20 ~10} JP setahun.")
        #expect(q.text == "Setiap PNS wajib _____ JP setahun.")
    }

    @Test func categoriesApplyToWhatFollows() {
        let file = GIFTReader.read(
            """
            $CATEGORY: $course$/top/Latsar CPNS/Nilai Dasar

            Soal satu {T}

            $CATEGORY: $course$/top/Umum//Lain

            Soal dua {F}
            """)
        #expect(file.items.map(\.category) == [["Latsar CPNS", "Nilai Dasar"], ["Umum/Lain"]])
        #expect(file.items.map(\.line) == [3, 7])
    }

    @Test func everyProblemIsReportedAtItsLineAndTheRestImported() {
        let file = GIFTReader.read(
            """
            Baik {T}

            Kurung tidak ditutup {=a ~b

            Tanpa jawaban benar {~a ~b}

            Angka {#dua puluh}

            Pasangan {=a -> b}

            Pasangan rusak {=a b =c -> d}

            Hanya teks deskripsi.

            $CATEGORY:

            ::judul tanpa tutup Teks {T}

            Juga baik {F}
            """)
        #expect(file.items.map(\.question.text) == ["Baik", "Juga baik"])
        #expect(
            file.problems.map { "\($0.line) \($0.key)" } == [
                "3 gift.problem.unclosed", "5 bank.problem.no_right", "7 gift.problem.number",
                "9 bank.problem.matching_pairs", "11 gift.problem.pair", "13 gift.problem.description",
                "15 bank.problem.category_empty", "17 gift.problem.title",
            ])
    }

    @Test func windowsLineEndsAndAByteOrderMark() {
        let file = GIFTReader.read("\u{FEFF}Satu {T}\r\n\r\nDua {F}\r\n")
        #expect(file.items.map(\.question.text) == ["Satu", "Dua"])
        #expect(file.items.map(\.line) == [1, 3])
    }
}
