import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongPlatform
@testable import GotongPublicInfo
@testable import GotongServiceDesk
@testable import GotongTenancy

extension WalkRecords {
    /// What a tenant's walk needs of the service desk: the desk on, and one citizen's case.
    /// (Its secret is not the walk's: without it a case's page answers 404, which is the point.)
    static func addDesk(
        to records: inout WalkRecords, _ app: Application, slug: String, step: inout String
    ) async throws {
        step = "service desk"
        let scope = TenantScope(tenantID: records.tenantID, db: app.db)
        try await DeskSetup.enable(scope, now: Date())
        // WhatsApp connected, so its webhook answers (a handshake without the token 403, a
        // delivery without the signature 401); X not, so its webhook is 404.
        try await Channels.connect(
            .whatsapp, .init(account: "106540352242922", appSecret: "rahasia-jelajah", accessToken: "token-jelajah"),
            in: scope, sealer: Sealer.of(app), now: Date())
        try await addService(to: &records, app, scope, slug: slug)
        if let made = try await scope.query(DeskCase.self).first() {
            records.caseNumber = made.number
            records.attachmentID = try await scope.query(DeskAttachment.self).first()?.id
            return
        }
        var report = Report()
        (report.category, report.text, report.email) =
            ("lainnya", "Laporan jelajah: trotoar di depan kantor rusak parah.", "warga@contoh.id")
        // A case's number is the tenant's own (every tenant's first is 000001): opened in the
        // same year, the other tenant's number in this tenant's address (the walk's "mixed"
        // call) would find this tenant's own case of that number, rightly. The tenants' cases
        // are opened in different years, so their numbers differ.
        let opened = slug.count % 2 == 0 ? Date() : Date().addingTimeInterval(-400 * 86_400)
        let photo = ByteBuffer(bytes: [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 7, count: 100))
        let key = "desk/\(records.tenantID.uuidString.lowercased())/jelajah.jpg"
        try await app.files.put(photo, at: key)
        let stored = DeskFiles.Stored(key: key, kind: .jpeg, name: "trotoar.jpg", size: photo.readableBytes)
        let item = try await Intake(scope: scope, now: opened).open(
            report, channel: .web, source: nil, attachment: stored
        ).case
        records.caseNumber = item.number
        records.attachmentID = try await scope.query(DeskAttachment.self).filter(\.$caseID == item.id!).first()?.id
    }

    /// One service in the tenant's catalogue, named after the tenant (so the other tenant's
    /// address word is not this tenant's too), with an FAQ entry and a question not answered.
    static func addService(
        to records: inout WalkRecords, _ app: Application, _ scope: TenantScope, slug: String
    ) async throws {
        if let made = try await scope.query(InfoService.self).first() {
            (records.serviceID, records.serviceSlug) = (made.id, made.slug)
            records.documentID = try await scope.query(InfoDocument.self).first()?.id
            records.factCheckID = try await scope.query(FactCheck.self).first()?.id
            records.qaSessionID = try await scope.query(QASession.self).first()?.id
            records.postID = try await scope.query(InfoPost.self).first()?.id
            records.formFileID = try await scope.query(InfoServiceForm.self).first()?.id
            records.consultationID = try await scope.query(Consultation.self).first()?.id
            return
        }
        records.postID = try await addPost(app, scope, slug: slug)
        var consultation = Consultations.Draft()
        (consultation.kind, consultation.title, consultation.sections, consultation.closesAt) = (
            "konsultasi", "Rancangan jelajah \(slug)", "# Pasal 1\nIsi.", "2100-01-01T00:00"
        )
        records.consultationID = try await Consultations.add(consultation, in: scope, now: Date()).id
        let document = InfoDocument()
        (document.id, document.tenantID, document.year, document.kind) = (UUID(), scope.tenantID, 2025, .apbd)
        (document.title, document.summary, document.searchText) = ("APBD jelajah \(slug)", "", " apbd jelajah ")
        (document.fileKey, document.fileName, document.fileSize, document.createdAt) =
            ("info/\(scope.tenantID.uuidString.lowercased())/jelajah.pdf", "apbd.pdf", 9, Date())
        try await app.files.put(ByteBuffer(string: "%PDF-1.4\n"), at: document.fileKey)
        try await document.create(on: scope.db)
        records.documentID = document.id
        var notice = FactChecks.Draft()
        (notice.claim, notice.verdict, notice.explanation) = (
            "Kabar jelajah \(slug)", "belum_terverifikasi", "Diperiksa."
        )
        records.factCheckID = try await FactChecks.add(notice, in: scope, now: Date()).id
        var session = LiveQA.Draft()
        (session.topic, session.official, session.startsAt) = ("Jelajah \(slug)", "Kepala Dinas", "2026-12-10T10:00")
        let qa = try await LiveQA.add(session, in: scope, now: Date())
        _ = try await LiveQA.ask(
            "Pertanyaan jelajah?", name: nil, session: qa, sender: "jelajah", in: scope, now: Date())
        records.qaSessionID = qa.id
        var draft = ServiceDraft()
        (draft.name, draft.summary) = ("Layanan jelajah \(slug)", "Layanan untuk penjelajahan rute.")
        draft.requirements = ["Fotokopi KTP-el"]
        draft.faq = [("Berapa lama?", "Satu hari kerja.")]
        let row = try await ServiceCatalogue.add(draft, in: scope, now: Date())
        try await Unanswered.record("harga cabai hari ini berapa", in: scope, now: Date())
        (records.serviceID, records.serviceSlug) = (row.id, row.slug)
        let form = InfoServiceForm()
        (form.id, form.tenantID, form.serviceID, form.title, form.position) = (
            UUID(), scope.tenantID, row.id!, "Formulir jelajah", 0
        )
        (form.fileKey, form.fileName, form.fileSize, form.createdAt) = (
            "info/\(scope.tenantID.uuidString.lowercased())/jelajah-form.pdf", "formulir.pdf", 9, Date()
        )
        try await app.files.put(ByteBuffer(string: "%PDF-1.4\n"), at: form.fileKey)
        try await form.create(on: scope.db)
        try await ServiceCatalogue.bump(scope, now: Date())
        records.formFileID = form.id
    }

    /// A post on the site, with its image, published a minute ago.
    static func addPost(_ app: Application, _ scope: TenantScope, slug: String) async throws -> UUID? {
        let post = InfoPost()
        (post.id, post.tenantID, post.kind, post.title, post.body) = (
            UUID(), scope.tenantID, .pengumuman, "Kabar jelajah \(slug)", "Isi kabar."
        )
        (post.imageKey, post.imageSize, post.imageText, post.channelList) = (
            "info/\(scope.tenantID.uuidString.lowercased())/jelajah.png", 8, "", ""
        )
        (post.publishAt, post.createdAt, post.updatedAt) = (Date().addingTimeInterval(-60), Date(), Date())
        try await app.files.put(
            ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), at: post.imageKey!)
        try await post.create(on: scope.db)
        return post.id
    }
}
