import Fluent
import Foundation
import GotongCatalog
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The demo's assessment: BPS's question bank, imported from GIFT as a trainer would, a
/// pre-test and a timed post-test in "Statistik Dasar untuk ASN", and an assignment graded
/// with a rubric, due a week after the demo starts.
package enum AssessmentDemo {
    static let gift = """
        $CATEGORY: $course$/top/Statistik Dasar

        ::Rata-rata::Nilai 2, 4 dan 9. Berapa rata-ratanya? {#5}

        ::Median::Median dari 3, 1, 7, 5 dan 9 adalah {=5 ~3 ~7 ~6#Urutkan dulu: 1, 3, 5, 7, 9.}

        ::Sumber resmi::Badan yang menerbitkan statistik dasar resmi di Indonesia adalah {=BPS =Badan Pusat Statistik}

        ::Grafik::Grafik batang cocok untuk membandingkan jumlah antarkategori. {TRUE}

        ::Jenis data::Pilih semua yang merupakan data kuantitatif. {
          ~%50%Jumlah pegawai
          ~%50%Anggaran belanja (Rp)
          ~%-100%Nama unit kerja
        }

        ::Indikator::Jodohkan indikator dengan satuannya. {
          =Inflasi -> persen
          =Jumlah penduduk -> jiwa
          =Luas wilayah -> km²
        }
        """

    package static func seed(_ app: Application, on db: any Database) async throws {
        guard let tenant = try await Tenant.find(slug: "bps", on: db),
            let course = try await Course.query(on: db).filter(\.$title == "Statistik Dasar untuk ASN").first()
        else { return }
        let scope = TenantScope(tenantID: try tenant.requireID(), db: db)
        let file = GIFTReader.read(gift)
        _ = try await QuestionBank(scope).importItems(file, under: nil, by: nil)
        let questions = try await scope.query(QuestionRecord.self).sort(\.$name).all()
        let structure = CourseStructure(course: course, db: db, types: app.learning.types, files: app.files)
        let section = try await structure.addSection(title: "Evaluasi")
        for (title, settings, rule) in [
            (
                "Tes awal", ["role": JSONScalar.string("pretest"), "review": .string("score"), "attempts": .int(1)],
                AssessmentProgress.submitted.kind
            ),
            (
                "Tes akhir",
                [
                    "role": .string("posttest"), "time_limit": .int(10), "attempts": .int(2), "pass_percent": .int(70),
                    "review": .string("feedback"),
                ], AssessmentProgress.passed.kind
            ),
        ] {
            var change = ActivityChange()
            change.type = "quiz"
            change.title = title
            change.settings = settings.merging(["shuffle_answers": .string("yes")]) { a, _ in a }
            change.completion = CompletionRule(kind: rule)
            let activity = try await structure.addActivity(to: section, change)
            for (position, question) in questions.enumerated() {
                try await QuizSlot(
                    tenantID: scope.tenantID, activityID: try activity.requireID(), position: position + 1,
                    questionID: try question.requireID(), categoryID: nil, count: 1, mark: 1
                ).create(on: db)
            }
        }
        var assignment = ActivityChange()
        assignment.type = "assignment"
        assignment.title = "Tugas: tabel dan grafik data unit kerja"
        let now = app.clock.now()
        assignment.settings = [
            "instructions": .string(
                "Sajikan satu data dari unit kerja Anda (misalnya jumlah layanan per bulan) dalam tabel dan "
                    + "grafik batang, lalu tulis dua kalimat kesimpulan. Unggah sebagai PDF atau gambar."),
            "due_at": .string(LocalDates.iso(now.addingTimeInterval(7 * 86_400))),
            "cutoff_at": .string(LocalDates.iso(now.addingTimeInterval(10 * 86_400))), "pass_percent": .int(70),
            "rubric": .string(
                "Ketepatan data | Kurang: 0 | Cukup: 5 | Baik: 10\nPilihan grafik | Kurang: 0 | Tepat: 5\n"
                    + "Kesimpulan | Tidak ada: 0 | Ada: 3 | Tajam: 5"),
        ]
        assignment.completion = CompletionRule(kind: AssessmentProgress.passed.kind)
        _ = try await structure.addActivity(to: section, assignment)
    }
}
