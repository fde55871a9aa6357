import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged

extension InfoService: PathTag { public static let parameterName = "serviceID" }
/// A service's id in an address (the officers' editor, the API).
public typealias ServiceID = Tagged<InfoService, UUID>

/// A service's address word on the public site (`ktp-el`).
public enum ServiceSlugTag: PathTag { public static let parameterName = "serviceSlug" }
public typealias ServiceSlug = Tagged<ServiceSlugTag, String>

/// A live Q&A session's id in an address.
public typealias QASessionID = Tagged<QASession, UUID>

/// A hoax notice's id in an address.
public typealias FactCheckID = Tagged<FactCheck, UUID>

/// A post's id in an address.
public typealias PostID = Tagged<InfoPost, UUID>

/// A transparency document's id in an address.
public typealias DocumentID = Tagged<InfoDocument, UUID>

/// A year in an address (`/dokumen/tahun/2025`): 2000 to 2100, written plainly.
public struct DocumentYear: PathValue, Hashable {
    public static let parameterName = "year"
    public let year: Int

    public init?(pathSegment: String) {
        guard let year = Int(pathSegment: pathSegment), Documents.yearRange.contains(year) else { return nil }
        self.year = year
    }

    public init(_ year: Int) { self.year = year }
    public var pathSegment: String { String(year) }
}

/// The web addresses of the public information site, under the service desk's.
public enum InfoRoute: SiteRoute {
    /// Public: the services by category, one service, the answerer's page (`?q=`).
    case services(Param<TenantSlug>)
    case service(Param<TenantSlug>, Param<ServiceSlug>)
    /// Public: a service's form to download.
    case serviceForm(Param<TenantSlug>, Param<ServiceSlug>, Param<ServiceFormID>)
    case ask(Param<TenantSlug>)
    /// The offline worker of the services' pages (in their folder: its scope is that folder).
    case offlineWorker(Param<TenantSlug>)
    /// Public: the transparency documents (`?q=&tahun=&jenis=&halaman=`), those of a year,
    /// a document's PDF.
    case documents(Param<TenantSlug>)
    case documentYear(Param<TenantSlug>, Param<DocumentYear>)
    case documentFile(Param<TenantSlug>, Param<DocumentID>)
    /// The officers' documents (GET; POST: publish one), one taken down (POST).
    case documentEditor(Param<TenantSlug>)
    case documentRemove(Param<TenantSlug>)
    /// Public: the hoax notices (`?vonis=&halaman=`), one notice. The officers' notices (GET;
    /// POST: publish one), one to change (GET; POST: save), removed (POST).
    case factChecks(Param<TenantSlug>)
    case factCheck(Param<TenantSlug>, Param<FactCheckID>)
    case factCheckEditor(Param<TenantSlug>)
    case factCheckEdit(Param<TenantSlug>, Param<FactCheckID>)
    case factCheckRemove(Param<TenantSlug>, Param<FactCheckID>)
    /// A notice shared to the channels as a post (POST).
    case factCheckShare(Param<TenantSlug>, Param<FactCheckID>)
    /// Public: the live Q&A sessions, a session (GET; POST: a question), a vote (POST). The
    /// host's sessions (GET; POST: add one), a session to host (GET; POST: its details), its
    /// state (POST), the host's move on a question (POST).
    case qaSessions(Param<TenantSlug>)
    case qaSession(Param<TenantSlug>, Param<QASessionID>)
    case qaVote(Param<TenantSlug>, Param<QASessionID>)
    case qaEditor(Param<TenantSlug>)
    case qaHost(Param<TenantSlug>, Param<QASessionID>)
    case qaHostState(Param<TenantSlug>, Param<QASessionID>)
    case qaHostQuestion(Param<TenantSlug>, Param<QASessionID>)
    /// Public: the posts (`?jenis=&halaman=`), their Atom feed, a post, its image. The officers'
    /// posts (GET; POST: write one), one to change (GET; POST: save), removed (POST), its failed
    /// sends on a channel sent again (POST); the platforms' figures imported (POST, CSV).
    case posts(Param<TenantSlug>)
    case postFeed(Param<TenantSlug>)
    case post(Param<TenantSlug>, Param<PostID>)
    case postImage(Param<TenantSlug>, Param<PostID>)
    case postEditor(Param<TenantSlug>)
    case postEdit(Param<TenantSlug>, Param<PostID>)
    case postRemove(Param<TenantSlug>, Param<PostID>)
    case postRetry(Param<TenantSlug>, Param<PostID>)
    case postFigures(Param<TenantSlug>)
    /// Public: the polls, surveys and consultations; one (GET; POST: an answer), a comment on a
    /// draft's section (POST), a code asked for an email address (POST), the code given back
    /// (POST). The officers' list (GET; POST: a new one), one to change (GET; POST: save), a
    /// comment moderated (POST), what was done with the input (POST), removed (POST).
    case consultations(Param<TenantSlug>)
    case consultation(Param<TenantSlug>, Param<ConsultationID>)
    case consultationComment(Param<TenantSlug>, Param<ConsultationID>)
    case consultationCode(Param<TenantSlug>, Param<ConsultationID>)
    case consultationConfirm(Param<TenantSlug>, Param<ConsultationID>)
    /// "Bukan Anda?": the proved address forgotten on this device (POST).
    case consultationLeave(Param<TenantSlug>, Param<ConsultationID>)
    case consultationEditor(Param<TenantSlug>)
    case consultationEdit(Param<TenantSlug>, Param<ConsultationID>)
    case consultationModerate(Param<TenantSlug>, Param<ConsultationID>)
    case consultationOutcome(Param<TenantSlug>, Param<ConsultationID>)
    case consultationRemove(Param<TenantSlug>, Param<ConsultationID>)
    /// The officers' catalogue (GET; POST: add a service), a service's editor (GET; POST:
    /// save), the service removed (POST), an FAQ entry added or removed (POST).
    case editor(Param<TenantSlug>)
    case edit(Param<TenantSlug>, Param<ServiceID>)
    case remove(Param<TenantSlug>, Param<ServiceID>)
    case faqAdd(Param<TenantSlug>, Param<ServiceID>)
    case faqRemove(Param<TenantSlug>, Param<ServiceID>)
    /// A form added to a service (POST, a file), one removed (POST).
    case formAdd(Param<TenantSlug>, Param<ServiceID>)
    case formRemove(Param<TenantSlug>, Param<ServiceID>)
    /// The answerer's everyday words (GET; POST: save), the questions it could not answer
    /// (GET), one answered with a new FAQ entry or set aside (POST).
    case words(Param<TenantSlug>)
    case unanswered(Param<TenantSlug>)
    case unansweredAnswer(Param<TenantSlug>)
    case unansweredDismiss(Param<TenantSlug>)

    public var segments: [PathSegment] {
        switch self {
        case .services(let t): DeskRoute.desk(t).segments + ["informasi"]
        case .service(let t, let s): Self.services(t).segments + [.param(s)]
        case .serviceForm(let t, let s, let f): Self.service(t, s).segments + ["formulir", .param(f)]
        case .ask(let t): DeskRoute.desk(t).segments + ["tanya"]
        case .offlineWorker(let t): Self.services(t).segments + ["luring.js"]
        case .documents(let t): DeskRoute.desk(t).segments + ["dokumen"]
        case .documentYear(let t, let y): Self.documents(t).segments + ["tahun", .param(y)]
        case .documentFile(let t, let d): Self.documents(t).segments + ["berkas", .param(d)]
        case .documentEditor(let t): DeskRoute.setup(t).segments + ["dokumen"]
        case .documentRemove(let t): Self.documentEditor(t).segments + ["hapus"]
        case .factChecks(let t): DeskRoute.desk(t).segments + ["cek-fakta"]
        case .factCheck(let t, let f): Self.factChecks(t).segments + [.param(f)]
        case .factCheckEditor(let t): DeskRoute.setup(t).segments + ["cek-fakta"]
        case .factCheckEdit(let t, let f): Self.factCheckEditor(t).segments + ["ubah", .param(f)]
        case .factCheckRemove(let t, let f): Self.factCheckEdit(t, f).segments + ["hapus"]
        case .factCheckShare(let t, let f): Self.factCheckEdit(t, f).segments + ["bagikan"]
        case .posts(let t): DeskRoute.desk(t).segments + ["kabar"]
        case .postFeed(let t): DeskRoute.desk(t).segments + ["kabar.atom"]
        case .post(let t, let p): Self.posts(t).segments + [.param(p)]
        case .postImage(let t, let p): Self.post(t, p).segments + ["gambar"]
        case .postEditor(let t): DeskRoute.setup(t).segments + ["kabar"]
        case .postEdit(let t, let p): Self.postEditor(t).segments + ["ubah", .param(p)]
        case .postRemove(let t, let p): Self.postEdit(t, p).segments + ["hapus"]
        case .postRetry(let t, let p): Self.postEdit(t, p).segments + ["kirim-ulang"]
        case .postFigures(let t): Self.postEditor(t).segments + ["angka"]
        case .consultations(let t): DeskRoute.desk(t).segments + ["suara"]
        case .consultation(let t, let c): Self.consultations(t).segments + [.param(c)]
        case .consultationComment(let t, let c): Self.consultation(t, c).segments + ["komentar"]
        case .consultationCode(let t, let c): Self.consultation(t, c).segments + ["kode"]
        case .consultationConfirm(let t, let c): Self.consultation(t, c).segments + ["cek"]
        case .consultationLeave(let t, let c): Self.consultation(t, c).segments + ["keluar"]
        case .consultationEditor(let t): DeskRoute.setup(t).segments + ["suara"]
        case .consultationEdit(let t, let c): Self.consultationEditor(t).segments + ["ubah", .param(c)]
        case .consultationModerate(let t, let c): Self.consultationEdit(t, c).segments + ["komentar"]
        case .consultationOutcome(let t, let c): Self.consultationEdit(t, c).segments + ["tindak-lanjut"]
        case .consultationRemove(let t, let c): Self.consultationEdit(t, c).segments + ["hapus"]
        case .qaSessions(let t): DeskRoute.desk(t).segments + ["tanya-jawab"]
        case .qaSession(let t, let q): Self.qaSessions(t).segments + [.param(q)]
        case .qaVote(let t, let q): Self.qaSession(t, q).segments + ["pilih"]
        case .qaEditor(let t): DeskRoute.setup(t).segments + ["tanya-jawab"]
        case .qaHost(let t, let q): Self.qaEditor(t).segments + [.param(q)]
        case .qaHostState(let t, let q): Self.qaHost(t, q).segments + ["status"]
        case .qaHostQuestion(let t, let q): Self.qaHost(t, q).segments + ["pertanyaan"]
        case .editor(let t): DeskRoute.setup(t).segments + ["informasi"]
        case .edit(let t, let s): Self.editor(t).segments + ["ubah", .param(s)]
        case .remove(let t, let s): Self.edit(t, s).segments + ["hapus"]
        case .faqAdd(let t, let s): Self.edit(t, s).segments + ["tanya-jawab"]
        case .faqRemove(let t, let s): Self.edit(t, s).segments + ["tanya-jawab", "hapus"]
        case .formAdd(let t, let s): Self.edit(t, s).segments + ["formulir"]
        case .formRemove(let t, let s): Self.edit(t, s).segments + ["formulir", "hapus"]
        case .words(let t): Self.editor(t).segments + ["kata"]
        case .unanswered(let t): Self.editor(t).segments + ["pertanyaan"]
        case .unansweredAnswer(let t): Self.unanswered(t).segments + ["jawab"]
        case .unansweredDismiss(let t): Self.unanswered(t).segments + ["abaikan"]
        }
    }
}

/// The JSON API's addresses of the public information site.
public enum InfoAPIRoute: SiteRoute {
    /// The services (GET: public; POST: officers), one service (GET: public; PUT, DELETE:
    /// officers), the answerer (`?q=`, public), the questions it could not answer (officers).
    case services(Param<TenantSlug>)
    case service(Param<TenantSlug>, Param<ServiceID>)
    case answer(Param<TenantSlug>)
    case unanswered(Param<TenantSlug>)
    /// The transparency documents (GET: public, `?q=&year=&kind=&page=`; POST: officers, the
    /// PDF the body), one (GET: public; DELETE: officers), its PDF (public).
    case documents(Param<TenantSlug>)
    case document(Param<TenantSlug>, Param<DocumentID>)
    case documentFile(Param<TenantSlug>, Param<DocumentID>)
    /// The hoax notices (GET: public, `?verdict=&page=`; POST: officers), one (GET: public;
    /// PUT, DELETE: officers).
    case factChecks(Param<TenantSlug>)
    case factCheck(Param<TenantSlug>, Param<FactCheckID>)
    /// The posts (GET: public, `?kind=&page=`, officers `?all=1`; POST: officers), one (GET:
    /// public once published, with its sends for officers; PUT, DELETE: officers), the
    /// platforms' figures (POST, CSV: officers).
    case posts(Param<TenantSlug>)
    case post(Param<TenantSlug>, Param<PostID>)
    case postFigures(Param<TenantSlug>)
    /// The polls, surveys and consultations (GET: public; POST: officers), one with its
    /// results (public), an answer from a signed-in account (POST, bearer token).
    case consultations(Param<TenantSlug>)
    case consultation(Param<TenantSlug>, Param<ConsultationID>)
    case consultationResponses(Param<TenantSlug>, Param<ConsultationID>)
    /// The live Q&A sessions, one with its questions (public), a citizen's question (POST).
    case qaSessions(Param<TenantSlug>)
    case qaSession(Param<TenantSlug>, Param<QASessionID>)
    case qaQuestions(Param<TenantSlug>, Param<QASessionID>)

    public var segments: [PathSegment] {
        switch self {
        case .posts(let t): ["api", "v1", "desk", .param(t), "posts"]
        case .post(let t, let p): Self.posts(t).segments + [.param(p)]
        case .postFigures(let t): ["api", "v1", "desk", .param(t), "post-figures"]
        case .consultations(let t): ["api", "v1", "desk", .param(t), "consultations"]
        case .consultation(let t, let c): Self.consultations(t).segments + [.param(c)]
        case .consultationResponses(let t, let c): Self.consultation(t, c).segments + ["responses"]
        case .qaSessions(let t): ["api", "v1", "desk", .param(t), "qa-sessions"]
        case .qaSession(let t, let q): Self.qaSessions(t).segments + [.param(q)]
        case .qaQuestions(let t, let q): Self.qaSession(t, q).segments + ["questions"]
        case .factChecks(let t): ["api", "v1", "desk", .param(t), "fact-checks"]
        case .factCheck(let t, let f): Self.factChecks(t).segments + [.param(f)]
        case .documents(let t): ["api", "v1", "desk", .param(t), "documents"]
        case .document(let t, let d): Self.documents(t).segments + [.param(d)]
        case .documentFile(let t, let d): Self.document(t, d).segments + ["file"]
        case .services(let t): ["api", "v1", "desk", .param(t), "services"]
        case .service(let t, let s): Self.services(t).segments + [.param(s)]
        case .answer(let t): ["api", "v1", "desk", .param(t), "answer"]
        case .unanswered(let t): ["api", "v1", "desk", .param(t), "unanswered"]
        }
    }
}
