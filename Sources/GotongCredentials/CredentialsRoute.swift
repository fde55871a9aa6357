import GotongCatalog
import GotongPlatform
import GotongTenancy

/// The web addresses of what learning earns; notifications keep them (``StorableRoute``).
public enum CredentialsRoute: StorableRoute {
    public static let storageName = "credentials"

    /// The signed-in person's JP ledger (`?tahun=`, this year when absent).
    case myLedger
    /// The signed-in person's certificates, from every tenant.
    case myCertificates
    /// Where anyone checks a certificate by its code (`?kode=` goes to its page).
    case verify
    /// A certificate's public verification page.
    case verification(Param<CertificateCode>)
    /// The certificate as PDF, for whoever holds its code.
    case certificatePDF(Param<CertificateCode>)
    /// A tenant's certificates, their numbering and signer, at its desk.
    case certificates(Param<TenantSlug>)
    case revokeCertificate(Param<TenantSlug>, Param<CertificateCode>)
    /// A coordinator records a completion by hand (training attended in person).
    case recordCompletion(Param<TenantSlug>)
    /// A course's own signer (administrators); blank fields go back to the tenant's.
    case courseSigner(Param<TenantSlug>)
    /// The person records learning done elsewhere (GET: the form; POST: saves it).
    case recordLearning
    case withdrawEntry(Param<LedgerEntryID>)
    /// The certificate file of the person's own record.
    case entryFile(Param<LedgerEntryID>)
    /// The home institution's JP desk: records to verify, and who is below 20 JP.
    case ledgerDesk(Param<TenantSlug>)
    case verifyEntry(Param<TenantSlug>, Param<LedgerEntryID>)
    case rejectEntry(Param<TenantSlug>, Param<LedgerEntryID>)
    case deskEntryFile(Param<TenantSlug>, Param<LedgerEntryID>)
    /// The compliance table as CSV, with the page's filter.
    case complianceCSV(Param<TenantSlug>)
    /// A reminder to everyone below 20 JP this year.
    case remindBelowTarget(Param<TenantSlug>)
    /// The person's year as CSV, as PDF, and as SIASN training history (`?tahun=`).
    case myLedgerCSV
    case myLedgerPDF
    case myLedgerSIASN
    /// The platform's view: each institution's people against 20 JP (platform administrators).
    case platformCompliance
    /// A tenant's course badges at its desk; one course's badge (GET: the form; POST: saves it).
    case badges(Param<TenantSlug>)
    case badge(Param<TenantSlug>, Param<CourseID>)
    case removeBadge(Param<TenantSlug>, Param<CourseID>)
    /// The signed-in holder's badge as an Open Badges 3.0 credential (a signed JWT), to download.
    case myBadgeCredential(Param<CertificateCode>)
    /// The tenant as an Open Badges issuer (JSON-LD), with its public key, revocation list, JWK
    /// set and, per year, the 3.0 status list.
    case badgeIssuer(Param<TenantSlug>)
    case badgeKey(Param<TenantSlug>)
    case badgeRevocations(Param<TenantSlug>)
    case badgeJWKS(Param<TenantSlug>)
    case badgeStatus(Param<TenantSlug>, Param<StatusListYear>)
    /// A course's badge class and its image.
    case badgeClass(Param<TenantSlug>, Param<CourseID>)
    case badgeImage(Param<TenantSlug>, Param<CourseID>)
    /// An award's hosted Open Badges 2.0 assertion, and the same signed (a JWS).
    case badgeAssertion(Param<TenantSlug>, Param<CertificateCode>)
    case signedAssertion(Param<TenantSlug>, Param<CertificateCode>)

    public var segments: [PathSegment] {
        switch self {
        case .myLedger: ["saya", "jp"]
        case .myCertificates: ["saya", "sertifikat"]
        case .verify: ["verifikasi"]
        case .verification(let code): ["verifikasi", .param(code)]
        case .certificatePDF(let code): Self.verification(code).segments + ["pdf"]
        case .certificates(let t): TenantDesk.tenant(t).segments + ["sertifikat"]
        case .revokeCertificate(let t, let code): Self.certificates(t).segments + [.param(code), "cabut"]
        case .recordCompletion(let t): Self.certificates(t).segments + ["kelulusan"]
        case .courseSigner(let t): Self.certificates(t).segments + ["penandatangan"]
        case .recordLearning: Self.myLedger.segments + ["catat"]
        case .withdrawEntry(let e): Self.myLedger.segments + [.param(e), "hapus"]
        case .entryFile(let e): Self.myLedger.segments + [.param(e), "berkas"]
        case .ledgerDesk(let t): TenantDesk.tenant(t).segments + ["jp"]
        case .verifyEntry(let t, let e): Self.ledgerDesk(t).segments + [.param(e), "sahkan"]
        case .rejectEntry(let t, let e): Self.ledgerDesk(t).segments + [.param(e), "tolak"]
        case .deskEntryFile(let t, let e): Self.ledgerDesk(t).segments + [.param(e), "berkas"]
        case .complianceCSV(let t): Self.ledgerDesk(t).segments + ["kepatuhan.csv"]
        case .remindBelowTarget(let t): Self.ledgerDesk(t).segments + ["ingatkan"]
        case .myLedgerCSV: Self.myLedger.segments + ["jp.csv"]
        case .myLedgerPDF: Self.myLedger.segments + ["jp.pdf"]
        case .myLedgerSIASN: Self.myLedger.segments + ["siasn.json"]
        case .platformCompliance: ["admin", "jp"]
        case .badges(let t): TenantDesk.tenant(t).segments + ["lencana"]
        case .badge(let t, let c): Self.badges(t).segments + [.param(c)]
        case .removeBadge(let t, let c): Self.badge(t, c).segments + ["hapus"]
        case .myBadgeCredential(let code): Self.myCertificates.segments + [.param(code), "lencana.jwt"]
        case .badgeIssuer(let t): ["openbadges", .param(t)]
        case .badgeKey(let t): Self.badgeIssuer(t).segments + ["key"]
        case .badgeRevocations(let t): Self.badgeIssuer(t).segments + ["revocations"]
        case .badgeJWKS(let t): Self.badgeIssuer(t).segments + ["jwks.json"]
        case .badgeStatus(let t, let year): Self.badgeIssuer(t).segments + ["status", .param(year)]
        case .badgeClass(let t, let c): Self.badgeIssuer(t).segments + ["badges", .param(c)]
        case .badgeImage(let t, let c): Self.badgeClass(t, c).segments + ["image"]
        case .badgeAssertion(let t, let code): Self.badgeIssuer(t).segments + ["assertions", .param(code)]
        case .signedAssertion(let t, let code): Self.badgeAssertion(t, code).segments + ["signed"]
        }
    }
}

/// The JSON API's addresses of what learning earns.
public enum CredentialsAPIRoute: SiteRoute {
    /// The caller's JP ledger for a year (`?year=`, this year when absent).
    case myLedger
    /// The caller's certificates, from every tenant.
    case myCertificates
    /// A certificate's public status, by its code.
    case verification(Param<CertificateCode>)
    /// A tenant's certificates (`?year=`).
    case certificates(Param<TenantSlug>)
    case revokeCertificate(Param<TenantSlug>, Param<CertificateCode>)
    /// A tenant's numbering and signer (GET, PUT).
    case certificateSettings(Param<TenantSlug>)
    /// A coordinator records a participant's completion by hand (training attended in person).
    case completions(Param<TenantSlug>, Param<CourseID>)
    /// The caller records learning done elsewhere (POST).
    case myEntries
    /// The caller's own record (DELETE withdraws it while not verified).
    case myEntry(Param<LedgerEntryID>)
    /// Records of the tenant's people awaiting its decision.
    case pendingEntries(Param<TenantSlug>)
    case verifyEntry(Param<TenantSlug>, Param<LedgerEntryID>)
    case rejectEntry(Param<TenantSlug>, Param<LedgerEntryID>)
    /// Who of the tenant's people reached the year's 20 JP.
    case compliance(Param<TenantSlug>)
    /// The caller's year as the civil-service system's training history (SIASN "riwayat kursus").
    case mySIASN
    /// Each institution's people against 20 JP (platform administrators).
    case platformCompliance
    /// A tenant's course badges.
    case badges(Param<TenantSlug>)
    /// A course's badge (GET, PUT, DELETE).
    case courseBadge(Param<TenantSlug>, Param<CourseID>)
    /// The caller's badge for one of their certificates, in its Open Badges forms.
    case myBadge(Param<CertificateCode>)

    public var segments: [PathSegment] {
        switch self {
        case .myLedger: ["api", "v1", "me", "ledger"]
        case .myCertificates: ["api", "v1", "me", "certificates"]
        case .verification(let code): ["api", "v1", "certificates", .param(code)]
        case .certificates(let t): TenancyRoute.api(t).segments + ["certificates"]
        case .revokeCertificate(let t, let code): Self.certificates(t).segments + [.param(code), "revoke"]
        case .certificateSettings(let t): TenancyRoute.api(t).segments + ["certificate-settings"]
        case .completions(let t, let c): TenancyRoute.api(t).segments + ["courses", .param(c), "completions"]
        case .myEntries: Self.myLedger.segments + ["entries"]
        case .myEntry(let e): Self.myEntries.segments + [.param(e)]
        case .pendingEntries(let t): TenancyRoute.api(t).segments + ["ledger", "pending"]
        case .verifyEntry(let t, let e): TenancyRoute.api(t).segments + ["ledger", "entries", .param(e), "verify"]
        case .rejectEntry(let t, let e): TenancyRoute.api(t).segments + ["ledger", "entries", .param(e), "reject"]
        case .compliance(let t): TenancyRoute.api(t).segments + ["ledger", "compliance"]
        case .mySIASN: Self.myLedger.segments + ["siasn"]
        case .platformCompliance: ["api", "v1", "ledger", "compliance"]
        case .badges(let t): TenancyRoute.api(t).segments + ["badges"]
        case .courseBadge(let t, let c): TenancyRoute.api(t).segments + ["courses", .param(c), "badge"]
        case .myBadge(let code): Self.myCertificates.segments + [.param(code), "badge"]
        }
    }
}

/// A year in an address (`/status/2026`): four digits from 2000 to 2100, else a 404.
public struct StatusListYear: PathValue, Hashable, Codable {
    public static let parameterName = "year"
    public let value: Int

    public init(_ value: Int) { self.value = value }

    public init?(pathSegment: String) {
        guard pathSegment.count == 4, pathSegment.allSatisfy(\.isASCII), let year = Int(pathSegment),
            (2000...2100).contains(year)
        else { return nil }
        value = year
    }

    public var pathSegment: String { String(value) }
}
