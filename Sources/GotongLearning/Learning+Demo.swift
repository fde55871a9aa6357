import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Course content for the demo: "Pengelolaan Keuangan Negara" (BPPK) opens step by step
/// through a reading, a video on YouTube, a forum and an open resource; the microlearning
/// "Literasi Pajak untuk ASN" is one short reading.
package enum LearningDemo {
    package static func seed(_ app: Application, on db: any Database) async throws {
        let courses = try await Course.query(on: db).filter(
            \.$title ~~ ["Pengelolaan Keuangan Negara", "Literasi Pajak untuk ASN"]
        ).all()
        if let finance = courses.first(where: { $0.title == "Pengelolaan Keuangan Negara" }) {
            finance.sequential = true
            try await finance.save(on: db)
            let structure = CourseStructure(course: finance, db: db, types: app.learning.types, files: app.files)
            let first = try await structure.addSection(title: "Topik 1: Siklus APBN")
            try await add(
                structure, first, "page", "Mengenal siklus APBN",
                [
                    "body": .string(
                        """
                        ## Empat tahap siklus APBN

                        1. **Perencanaan dan penganggaran** — kementerian/lembaga menyusun RKA-K/L.
                        2. **Pelaksanaan** — DIPA menjadi dasar belanja.
                        3. **Pengawasan** — oleh APIP, BPKP dan BPK.
                        4. **Pertanggungjawaban** — laporan keuangan pemerintah pusat.

                        Bacalah pelan-pelan; materi berikutnya terbuka setelah halaman ini dibuka.
                        """)
                ], .viewed)
            try await add(
                structure, first, "video", "Video: APBN dalam lima menit",
                [
                    "url": .string("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
                    "description": .string("Video terbuka di kanal YouTube; pemutar baru dimuat saat diketuk."),
                ], .viewed)
            try await add(
                structure, first, "forum", "Diskusi: anggaran di unit kerja Anda",
                [
                    "description": .string("Ceritakan satu kegiatan di unit Anda dan tahap siklus APBN-nya.")
                ], CompletionRule(kind: ForumProgress.posted.kind))
            let second = try await structure.addSection(title: "Topik 2: Sumber terbuka")
            try await add(
                structure, second, "link", "Bacaan: UU Keuangan Negara",
                [
                    "url": .string("https://peraturan.bpk.go.id/"),
                    "description": .string("Naskah resmi di basis data peraturan BPK."),
                ], .viewed)
        }
        if let tax = courses.first(where: { $0.title == "Literasi Pajak untuk ASN" }) {
            let structure = CourseStructure(course: tax, db: db, types: app.learning.types, files: app.files)
            let section = try await structure.addSection(title: "Mikro: pajak pribadi ASN")
            try await add(
                structure, section, "page", "SPT Tahunan dalam 15 menit",
                [
                    "body": .string(
                        """
                        ## Yang perlu disiapkan\n\n- Bukti potong 1721-A2 dari bendahara\n- EFIN\n- Daftar \
                        harta dan utang
                        """
                    )
                ], .minSeconds(120))
        }
    }

    private static func add(
        _ structure: CourseStructure, _ section: CourseSection, _ type: String, _ title: String,
        _ settings: [String: JSONScalar], _ rule: CompletionRule
    ) async throws {
        var change = ActivityChange()
        change.type = type
        change.title = title
        change.settings = settings
        change.completion = rule
        _ = try await structure.addActivity(to: section, change)
    }
}
