import Fluent
import Foundation
import GotongEvaluation
import GotongPlatform
import GotongTenancy
import Vapor

extension PublicInfoDemo {
    /// The rest of the demo's site: three documents (one-page PDFs that say they are examples),
    /// two hoax notices, and two live Q&A sessions — one taking questions, one over with its
    /// answers.
    static func seedSite(_ app: Application, _ scope: TenantScope, now: Date) async throws {
        if try await scope.query(InfoDocument.self).count() == 0 { try await seedDocuments(app, scope, now: now) }
        if try await scope.query(FactCheck.self).count() == 0 { try await seedNotices(scope, now: now) }
        if try await scope.query(QASession.self).count() == 0 { try await seedSessions(scope, now: now) }
        if try await scope.query(InfoPost.self).count() == 0 { try await seedPosts(scope, now: now) }
        if try await scope.query(Consultation.self).count() == 0 { try await seedVoices(scope, now: now) }
    }

    /// An open poll, an open public satisfaction survey (the tenant's SKM form), and a
    /// consultation that closed with its outcome published.
    private static func seedVoices(_ scope: TenantScope, now: Date) async throws {
        if let form = try await scope.query(EvaluationForm.self).filter(\.$purpose == .publicSurvey).first() {
            var survey = Consultations.Draft()
            (survey.kind, survey.title, survey.formID) = (
                "survei", "Survei Kepuasan Masyarakat: layanan Disdukcapil", form.id?.uuidString
            )
            survey.intro = "Sudah mengurus dokumen kependudukan bulan ini? Bantu kami memperbaiki layanan."
            survey.closesAt = LocalDates.formValue(moment: now.addingTimeInterval(30 * 86_400))
            _ = try await Consultations.add(survey, in: scope, now: now)
        }
        var poll = Consultations.Draft()
        (poll.kind, poll.title) = ("jajak", "Jam berapa sebaiknya Samsat keliling melayani di hari Minggu?")
        (poll.choices, poll.closesAt) = (
            "07.00–11.00\n08.00–12.00\n13.00–17.00", LocalDates.formValue(moment: now.addingTimeInterval(14 * 86_400))
        )
        poll.intro = "Pilih waktu yang paling mudah bagi Anda. Hasilnya menentukan jadwal mulai bulan depan."
        _ = try await Consultations.add(poll, in: scope, now: now)
        var draft = Consultations.Draft()
        (draft.kind, draft.title) = ("konsultasi", "Rancangan Peraturan Bupati tentang Pasar Rakyat")
        draft.intro = "Tanggapi setiap pasal rancangan. Tanggapan tampil setelah diperiksa petugas."
        draft.sections =
            "# Pasal 1 Jam operasional\nPasar rakyat buka setiap hari pukul 05.00–17.00 WIB.\n\n"
            + "# Pasal 2 Retribusi\nRetribusi harian pedagang Rp 3.000 per lapak."
        (draft.opensAt, draft.closesAt) = (
            LocalDates.formValue(moment: now.addingTimeInterval(-30 * 86_400)),
            LocalDates.formValue(moment: now.addingTimeInterval(-2 * 86_400))
        )
        let closed = try await Consultations.add(draft, in: scope, now: now.addingTimeInterval(-30 * 86_400))
        let sections = try await scope.query(ConsultationSection.self).filter(\.$consultationID == closed.id!)
            .sort(\.$position).all()
        for (n, (name, text)) in [
            ("Bu Ani, pedagang sayur", "Lapak kecil seperti punya saya cukup Rp 2.000 saja, omzet kami kecil."),
            ("", "Setuju ada keringanan untuk lapak kecil, asal kebersihan pasar tetap dijaga."),
        ].enumerated() where sections.count > 1 {
            let comment = ConsultationComment()
            (comment.tenantID, comment.consultationID, comment.sectionID) = (
                scope.tenantID, closed.id!, sections[1].id!
            )
            (comment.voter, comment.name, comment.text, comment.state) = ("demo:\(n)", name, text, .tampil)
            (comment.createdAt, comment.moderatedAt) = (now.addingTimeInterval(-20 * 86_400), now)
            try await comment.create(on: scope.db)
        }
        _ = try await Consultations.record(
            outcome: "Retribusi untuk lapak di bawah 4 m² diturunkan menjadi Rp 2.000 sesuai tanggapan pedagang.",
            of: try closed.requireID(), in: scope, now: now)
    }

    /// Four posts: an announcement, a campaign, a piece of education, and one scheduled for next
    /// week (shown to the officers only). The demo connects no channel, so none is sent.
    private static func seedPosts(_ scope: TenantScope, now: Date) async throws {
        let posts: [(InfoPost.Kind, String, String, TimeInterval, TimeInterval?)] = [
            (
                .pengumuman, "Perekaman KTP-el keliling di Kecamatan Cibeunying",
                "Disdukcapil membuka perekaman KTP-el keliling di kantor Kecamatan Cibeunying Kidul pada Sabtu"
                    + " pukul 08.00–12.00 WIB.\n\nBawa Kartu Keluarga asli. Layanan ini gratis.",
                -86_400, 6 * 86_400
            ),
            (
                .kampanye, "Gerakan 3M Plus: cegah demam berdarah",
                "Musim hujan tiba. Kuras tempat penampungan air, tutup rapat, dan daur ulang barang bekas."
                    + " Pakai lotion antinyamuk dan tanam tanaman pengusir nyamuk.",
                -3 * 86_400, nil
            ),
            (
                .edukasi, "Cara mengecek keaslian pesan bantuan sosial",
                "Bantuan sosial tidak pernah meminta biaya pendaftaran atau nomor PIN. Cek penerima bantuan di"
                    + " cekbansos.kemensos.go.id dan laporkan pesan mencurigakan lewat layanan aduan.",
                -5 * 86_400, nil
            ),
            (
                .pengumuman, "Libur pelayanan tatap muka akhir tahun",
                "Pelayanan tatap muka libur 31 Desember; layanan daring tetap buka.", 7 * 86_400, 14 * 86_400
            ),
        ]
        for (kind, title, body, start, end) in posts {
            let row = InfoPost()
            (row.id, row.tenantID, row.kind, row.title, row.body) = (UUID(), scope.tenantID, kind, title, body)
            (row.imageSize, row.imageText, row.channelList) = (0, "", "")
            (row.publishAt, row.expiresAt) = (now.addingTimeInterval(start), end.map { now.addingTimeInterval($0) })
            (row.createdAt, row.updatedAt) = (now, now)
            try await row.create(on: scope.db)
        }
    }

    private static func seedDocuments(_ app: Application, _ scope: TenantScope, now: Date) async throws {
        let documents: [(InfoDocument.Kind, Int, String, String)] = [
            (
                .apbd, 2026, "APBD Tahun Anggaran 2026",
                "Peraturan daerah tentang anggaran pendapatan dan belanja daerah 2026."
            ),
            (
                .audit, 2025, "LHP BPK atas Laporan Keuangan 2025",
                "Opini Wajar Tanpa Pengecualian, dengan temuan dan tindak lanjutnya."
            ),
            (
                .kinerja, 2025, "Laporan Kinerja Instansi Pemerintah (LKjIP) 2025",
                "Capaian indikator kinerja utama tahun 2025."
            ),
        ]
        for (kind, year, title, summary) in documents {
            var pdf = PDFDocument(pageWidth: PDFDocument.a4Portrait.width, pageHeight: PDFDocument.a4Portrait.height)
            pdf.text(title, x: 56, y: 780, size: 16, font: .bold)
            pdf.text(summary, x: 56, y: 750, size: 11)
            pdf.text("Dokumen contoh untuk demo Gotong.", x: 56, y: 720, size: 11)
            let bytes = pdf.rendered(title: title, created: now)
            let key = "info/\(scope.tenantID.uuidString.lowercased())/\(UUID().uuidString.lowercased()).pdf"
            try await app.files.put(bytes, at: key)
            let row = InfoDocument()
            (row.id, row.tenantID, row.year, row.kind, row.title, row.summary) =
                (UUID(), scope.tenantID, year, kind, title, summary)
            row.searchText = Documents.searchText(title, summary, kind: kind, year: year)
            (row.fileKey, row.fileName, row.fileSize, row.createdAt) =
                (key, Slugs.make(title, max: 60) + ".pdf", bytes.readableBytes, now)
            try await row.create(on: scope.db)
        }
    }

    private static func seedNotices(_ scope: TenantScope, now: Date) async throws {
        let notices: [(String, String, String, String, String)] = [
            (
                "Pendaftaran bantuan sosial Rp 3 juta lewat tautan bansos-jabar-gratis.xyz", "hoaks",
                "Pemerintah tidak membuka pendaftaran bantuan lewat tautan itu. Tautan tersebut meminta data KTP"
                    + " dan nomor rekening. Cek penerima bantuan hanya di cekbansos.kemensos.go.id.",
                "grup WhatsApp", "Kementerian Sosial | https://cekbansos.kemensos.go.id"
            ),
            (
                "Perekaman KTP-el bisa dilakukan hari Sabtu di kantor Disdukcapil", "fakta",
                "Disdukcapil membuka layanan perekaman KTP-el hari Sabtu pukul 08.00–12.00.",
                "Instagram", "Informasi layanan KTP-el | https://disdukcapil.example.go.id/ktp-el"
            ),
        ]
        for (claim, verdict, explanation, seen, sources) in notices {
            var d = FactChecks.Draft()
            (d.claim, d.verdict, d.explanation, d.seenOn) = (claim, verdict, explanation, seen)
            d.sources = FactChecks.sources(sources)
            _ = try await FactChecks.add(d, in: scope, now: now)
        }
    }

    private static func seedSessions(_ scope: TenantScope, now: Date) async throws {
        var coming = LiveQA.Draft()
        (coming.topic, coming.official, coming.liveURL) = (
            "Layanan kependudukan di akhir tahun", "Kepala Disdukcapil",
            "https://www.instagram.com/disdukcapil.contoh/live"
        )
        coming.startsAt = LocalDates.formValue(moment: now.addingTimeInterval(7 * 86_400))
        let next = try await LiveQA.add(coming, in: scope, now: now)
        _ = try await LiveQA.ask(
            "Apakah perekaman KTP-el bisa dilakukan di kecamatan?", name: "Rina", session: next, sender: "demo-1",
            in: scope, now: now)
        var past = LiveQA.Draft()
        (past.topic, past.official, past.liveURL) = (
            "Izin usaha mikro lewat OSS", "Kepala DPMPTSP", "https://www.youtube.com/@dpmptsp.contoh/live"
        )
        past.startsAt = LocalDates.formValue(moment: now.addingTimeInterval(-14 * 86_400))
        let over = try await LiveQA.add(past, in: scope, now: now)
        let question = try await LiveQA.ask(
            "Apakah NIB untuk usaha rumahan dipungut biaya?", name: "", session: over, sender: "demo-2", in: scope,
            now: now)
        _ = try await LiveQA.host(
            .answered, question: try question.requireID(), of: over,
            answer: "Tidak. NIB untuk usaha mikro dan kecil gratis lewat oss.go.id.", in: scope)
        try await LiveQA.set(.ended, of: try over.requireID(), in: scope, now: now)
    }
}
