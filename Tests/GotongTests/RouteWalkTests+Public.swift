import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// What the product means to be public, personal, learning or management: how the walk judges a route.
extension RouteWalkTests {
    // MARK: What the product means to be public

    /// Routes that answer anyone about any tenant: the storefront a citizen reads, joining as a
    /// learner, and the marketplace — published courses, their pages and covers, enrolling in
    /// them and withdrawing. A route not listed here, under another tenant's slug or with another
    /// tenant's ids, must answer an outsider 401/403/404 (or send them to sign in).
    static let publicByDesign: Set<String> = [
        "GET /t/:tenantSlug", "GET /t/:tenantSlug/halaman/:pageKey", "GET /t/:tenantSlug/logo",
        "POST /t/:tenantSlug/gabung",
        "GET /t/:tenantSlug/pelatihan", "GET /t/:tenantSlug/pelatihan/:courseSlug",
        "GET /t/:tenantSlug/pelatihan/:courseSlug/sampul",
        "POST /t/:tenantSlug/pelatihan/:courseSlug/ikuti", "POST /t/:tenantSlug/pelatihan/:courseSlug/mundur",
        "GET /api/v1/tenants/:tenantSlug", "GET /api/v1/tenants/:tenantSlug/courses",
        "GET /api/v1/tenants/:tenantSlug/courses/:courseID",
        "POST /api/v1/courses/:courseID/enrolments", "DELETE /api/v1/courses/:courseID/enrolments/me",
        // Links mailed to a person: whoever holds the secret may use it (it is not a tenant's record).
        // A certificate's public check and its PDF: whoever holds the code printed on it.
        "GET /verifikasi/:certificateCode", "GET /verifikasi/:certificateCode/pdf",
        "GET /api/v1/certificates/:certificateCode",
        // A tenant as an Open Badges issuer, its badges and the awards' assertions: what any
        // verifier or backpack fetches (a holder appears only as a salted hash).
        "GET /openbadges/:tenantSlug", "GET /openbadges/:tenantSlug/key", "GET /openbadges/:tenantSlug/revocations",
        "GET /openbadges/:tenantSlug/jwks.json", "GET /openbadges/:tenantSlug/status/:year",
        "GET /openbadges/:tenantSlug/badges/:courseID", "GET /openbadges/:tenantSlug/badges/:courseID/image",
        "GET /openbadges/:tenantSlug/assertions/:certificateCode",
        "GET /openbadges/:tenantSlug/assertions/:certificateCode/signed",
        "GET /verifikasi-email/:token", "GET /atur-sandi/:token", "POST /atur-sandi/:token",
        // A supervisor's follow-up form: whoever holds the mailed link answers it, without an account.
        "GET /evaluasi-atasan/:token", "POST /evaluasi-atasan/:token",
        // Live Learning is for civil servants of every tenant: its pages and calendar for anyone,
        // a claim of attendance (with the code from the broadcast) for anyone signed in.
        "GET /t/:tenantSlug/live", "GET /t/:tenantSlug/live/:programmeSlug",
        "GET /t/:tenantSlug/live/:programmeSlug/kalender.ics", "GET /t/:tenantSlug/live/:programmeSlug/:episodeNumber",
        "GET /t/:tenantSlug/live/:programmeSlug/:episodeNumber/hadir",
        "POST /t/:tenantSlug/live/:programmeSlug/:episodeNumber/hadir",
        "POST /api/v1/tenants/:tenantSlug/live/programmes/:programmeSlug/episodes/:episodeNumber/claim",
        // and a reminder before an episode, asked for by anyone signed in (their own registration).
        "POST /t/:tenantSlug/live/:programmeSlug/:episodeNumber/daftar",
        "POST /t/:tenantSlug/live/:programmeSlug/:episodeNumber/daftar/batal",
        "GET /t/:tenantSlug/live/:programmeSlug/:episodeNumber/daftar",
        "GET /t/:tenantSlug/live/:programmeSlug/:episodeNumber/daftar/batal",
        "GET /api/v1/tenants/:tenantSlug/live/programmes/:programmeSlug/episodes/:episodeNumber/registration",
        "PUT /api/v1/tenants/:tenantSlug/live/programmes/:programmeSlug/episodes/:episodeNumber/registration",
        "DELETE /api/v1/tenants/:tenantSlug/live/programmes/:programmeSlug/episodes/:episodeNumber/registration",
        // The service desk is for citizens, without an account: a tenant's desk and report form,
        // and a case, which answers only with the secret its citizen was given.
        "GET /layanan/:tenantSlug", "POST /layanan/:tenantSlug", "GET /layanan/:tenantSlug/lacak",
        "GET /layanan/:tenantSlug/aduan/:caseNumber", "POST /layanan/:tenantSlug/aduan/:caseNumber/balas",
        "POST /api/v1/desk/:tenantSlug/cases", "GET /api/v1/desk/:tenantSlug/cases/:caseNumber",
        // The platforms' webhooks: a delivery is taken on its signature with the tenant's app
        // secret, a handshake answers only the tenant's own token.
        "GET /hooks/:channel/:tenantSlug", "POST /hooks/:channel/:tenantSlug",
        // A desk's figures and its public cases are for everyone: the transparency tracker.
        "GET /layanan/:tenantSlug/transparansi", "GET /api/v1/desk/:tenantSlug/stats",
        // The desk's public information site: its services, their offline worker, and the
        // answerer over them, for everyone.
        "GET /layanan/:tenantSlug/informasi", "GET /layanan/:tenantSlug/informasi/:serviceSlug",
        "GET /layanan/:tenantSlug/informasi/luring.js", "GET /layanan/:tenantSlug/tanya",
        "GET /api/v1/desk/:tenantSlug/services", "GET /api/v1/desk/:tenantSlug/services/:serviceID",
        "GET /api/v1/desk/:tenantSlug/answer", "GET /layanan/:tenantSlug/informasi/:serviceSlug/formulir/:formFileID",
        // and its transparency documents.
        "GET /layanan/:tenantSlug/dokumen", "GET /layanan/:tenantSlug/dokumen/tahun/:year",
        "GET /layanan/:tenantSlug/dokumen/berkas/:documentID", "GET /api/v1/desk/:tenantSlug/documents",
        "GET /api/v1/desk/:tenantSlug/documents/:documentID", "GET /api/v1/desk/:tenantSlug/documents/:documentID/file",
        // and its hoax notices.
        "GET /layanan/:tenantSlug/cek-fakta", "GET /layanan/:tenantSlug/cek-fakta/:factCheckID",
        "GET /api/v1/desk/:tenantSlug/fact-checks", "GET /api/v1/desk/:tenantSlug/fact-checks/:factCheckID",
        // and its live Q&A, where anyone asks and votes.
        "GET /layanan/:tenantSlug/tanya-jawab", "GET /layanan/:tenantSlug/tanya-jawab/:qaSessionID",
        "POST /layanan/:tenantSlug/tanya-jawab/:qaSessionID",
        "POST /layanan/:tenantSlug/tanya-jawab/:qaSessionID/pilih",
        "GET /api/v1/desk/:tenantSlug/qa-sessions", "GET /api/v1/desk/:tenantSlug/qa-sessions/:qaSessionID",
        "POST /api/v1/desk/:tenantSlug/qa-sessions/:qaSessionID/questions",
        // and its citizens' voice, where anyone proves an address and answers.
        "GET /layanan/:tenantSlug/suara", "GET /layanan/:tenantSlug/suara/:consultationID",
        "POST /layanan/:tenantSlug/suara/:consultationID", "POST /layanan/:tenantSlug/suara/:consultationID/komentar",
        "POST /layanan/:tenantSlug/suara/:consultationID/kode", "POST /layanan/:tenantSlug/suara/:consultationID/cek",
        "POST /layanan/:tenantSlug/suara/:consultationID/keluar",
        "GET /api/v1/desk/:tenantSlug/consultations", "GET /api/v1/desk/:tenantSlug/consultations/:consultationID",
        // and its posts, with their feed and images.
        "GET /layanan/:tenantSlug/kabar", "GET /layanan/:tenantSlug/kabar.atom",
        "GET /layanan/:tenantSlug/kabar/:postID",
        "GET /layanan/:tenantSlug/kabar/:postID/gambar", "GET /api/v1/desk/:tenantSlug/posts",
        "GET /api/v1/desk/:tenantSlug/posts/:postID",
    ]

    /// Learning a course of another tenant is the marketplace's point: these answer a person
    /// enrolled in the course (or on its staff), whatever tenant they belong to.
    static func isLearning(_ route: Route) -> Bool {
        let p = route.path.map(\.description)
        return p.starts(with: ["t", ":tenantSlug", "belajar"]) || p.starts(with: ["api", "v1", "activities"])
            || p == ["api", "v1", "courses", ":courseID", "outline"]
            || p == ["api", "v1", "me", "courses", ":courseID", "progress"]
    }

    /// A person's own pages (their courses, notifications, profile, tokens): they show what the
    /// person takes part in, in whatever tenant — another tenant's course they enrolled in, say.
    static func isPersonal(_ route: Route) -> Bool {
        let p = route.path.map(\.description)
        return ["saya", "notifikasi", "profil"].contains(p.first ?? "") || p.starts(with: ["api", "v1", "me"])
    }

    /// Links mailed to one person (verify the address, set a password): they show that person's
    /// address to whoever holds the link, which is what the link is for.
    static func isPersonLink(_ route: Route) -> Bool {
        ["verifikasi", "atur-sandi", "evaluasi-atasan"].contains(route.path.first?.description ?? "")
    }

    /// Platform administration: only a platform administrator may get anything but a refusal.
    static func isPlatformOnly(_ route: Route) -> Bool {
        let p = route.path.map(\.description)
        return p.first == "admin" || p.starts(with: ["api", "v1", "curation"])
            || p.starts(with: ["api", "v1", "ledger"])
            || (route.method == .POST && p == ["api", "v1", "tenants"])
    }

    /// A tenant's management (web `/t/{tenantSlug}/kelola/…`; in the API everything under a tenant
    /// that writes, or reads sections, enrolments, monitoring or people): no learner and nobody
    /// signed out may get anything but a refusal. What is for anyone by design (a civil servant's
    /// own claim of attendance or registration for a reminder) is not management.
    static func isManagement(_ route: Route) -> Bool {
        guard !publicByDesign.contains(RouteWalk.key(route)) else { return false }
        let p = route.path.map(\.description)
        if p.starts(with: ["t", ":tenantSlug", "kelola"]) { return true }
        // The service desk's officers: everything of the desk's API but the citizen's part.
        if p.starts(with: ["api", "v1", "desk", ":tenantSlug", "queue"]) { return true }
        guard p.starts(with: ["api", "v1", "tenants", ":tenantSlug"]) else { return false }
        return route.method != .GET
            || ["sections", "activities", "enrolments", "monitoring", "people", "assignments"].contains {
                p.contains($0)
            }
    }
}
