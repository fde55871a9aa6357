import Foundation
import Testing
@testable import GotongPlatform
@testable import GotongPublicInfo

/// The one parser of a service as sent (form or JSON), and of the everyday words: hostile input
/// is a problem for its field, every problem at once, never a crash.
@Suite("Public information: reading a service and the everyday words")
struct ServiceDraftTests {
    static func draft(_ change: (inout ServiceDraft) -> Void = { _ in }) -> ServiceDraft {
        var d = ServiceDraft()
        (d.name, d.summary) = ("Akta Kematian", "Pencatatan kematian.")
        change(&d)
        return d
    }

    static func fields(_ d: ServiceDraft) -> Set<String> {
        do {
            _ = try d.checked()
            return []
        } catch let error as InputError {
            return Set(error.problems.map(\.field))
        } catch { return ["?"] }
    }

    @Test(arguments: [
        ("-1", false), ("0", true), ("1000000000", true), ("1000000001", false), ("abc", false), ("1e3", false),
        ("+5", true), ("99999999999999999999999", false), (" 25000 ", true), ("", true), ("٣", false),
    ])
    func theFeeIsAWholeNumberOfRupiah(raw: String, ok: Bool) {
        #expect(Self.fields(Self.draft { $0.fee = raw }).isEmpty == ok)
    }

    @Test func everyProblemIsNamedAtOnce() {
        let d = Self.draft {
            $0.name = String(repeating: "n", count: 121)
            $0.summary = "   "
            $0.requirements = Array(repeating: "KTP", count: 31)
            $0.steps = [String(repeating: "s", count: 501)]
            $0.keywords = ["a\u{0}b"]
            $0.places = [ServicePlace(name: "", address: "x", hours: "")]
            $0.faq = [(question: "Q?", answer: nil)] + Array(repeating: (question: "q", answer: "a"), count: 50)
        }
        #expect(Self.fields(d) == ["name", "summary", "requirements", "steps", "places", "faq"])
        #expect(Self.fields(Self.draft { $0.name = "—" }) == ["name"], "a name with no letter has no address")
        #expect(
            Self.fields(Self.draft { $0.places = [ServicePlace(name: "Kantor", address: "Jl. A | Blok B", hours: "")] })
                == ["places"], "a bar would move the editor's fields")
    }

    @Test func aCleanDraftKeepsItsItemsTrimmedAndBlankLinesOut() throws {
        let c = try Self.draft {
            $0.requirements = ServiceDraft.lines("  Surat kematian dari RS \n\n Kartu Keluarga\r\n")
            $0.places = ServiceDraft.places("Disdukcapil | Jl. Ambon 1 | Senin–Jumat\nKecamatan")
            $0.category = " "
        }.checked()
        #expect(c.requirements == ["Surat kematian dari RS", "Kartu Keluarga"])
        #expect(
            c.places == [
                .init(name: "Disdukcapil", address: "Jl. Ambon 1", hours: "Senin–Jumat"),
                .init(name: "Kecamatan", address: "", hours: ""),
            ])
        #expect(c.category == "Lainnya" && c.feeRupiah == nil)
    }

    @Test func theEverydayWordsAreReadLineByLine() {
        var p = ProblemList()
        let pairs = Synonyms.read(
            "# catatan\nbikin = buat\n\n= kosong\ntanpa sama dengan\nakte lahir = akta kelahiran\n!!! = ??",
            field: "synonyms", problems: &p)
        #expect(pairs.map(\.0) == ["bikin", "akte lahir"])
        #expect(p.problems.map { $0.args["line"] } == ["4", "5", "7"])
        // As a browser sends a textarea: lines ending in CR LF.
        var q = ProblemList()
        #expect(Synonyms.read("# catatan\r\nbikin = buat\r\nakte = akta\r\n", field: "s", problems: &q).count == 2)
        #expect(q.isEmpty)
        let synonyms = Synonyms(pairs)
        #expect(
            synonyms.standard(["mau", "bikin", "akte", "lahir", "anak"]) == [
                "mau", "buat", "akta", "kelahiran", "anak",
            ])
    }

    @Test func theAnswererNeverStumbles() {
        let empty = AnswerIndex(services: [], synonyms: Synonyms([]))
        #expect(empty.answer("syarat ktp").hits.isEmpty && !empty.answer("syarat ktp").confident)
        let index = AnswerIndex(
            services: [ServiceFacts(name: "KTP-el", summary: "Kartu tanda penduduk."), ServiceFacts(name: "SIM")],
            synonyms: Synonyms(Synonyms.defaults))
        for question in ["", "   ", "apa ya kak?", "🙏🙏", String(repeating: "ktp ", count: 10_000), "\u{0}\u{1}"] {
            #expect(!index.answer(question).confident || index.answer(question).hits.first?.service == 0)
        }
        #expect(index.answer("ktp").hits.first?.service == 0 && index.answer("KTP").confident)
    }

    @Test func rupiahIsWrittenWithDotsEveryThreeDigits() {
        #expect(Rupiah.text(0) == "Rp 0" && Rupiah.text(30_000) == "Rp 30.000")
        #expect(Rupiah.text(1_250_000) == "Rp 1.250.000" && Rupiah.text(999) == "Rp 999")
    }
}
