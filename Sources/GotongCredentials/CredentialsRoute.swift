import GotongCatalog
import GotongPlatform
import GotongTenancy

/// The web addresses of what learning earns.
public enum CredentialsRoute: SiteRoute {
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

    public var segments: [PathSegment] {
        switch self {
        case .myLedger: ["api", "v1", "me", "ledger"]
        case .myCertificates: ["api", "v1", "me", "certificates"]
        case .verification(let code): ["api", "v1", "certificates", .param(code)]
        case .certificates(let t): TenancyRoute.api(t).segments + ["certificates"]
        case .revokeCertificate(let t, let code): Self.certificates(t).segments + [.param(code), "revoke"]
        case .certificateSettings(let t): TenancyRoute.api(t).segments + ["certificate-settings"]
        case .completions(let t, let c): TenancyRoute.api(t).segments + ["courses", .param(c), "completions"]
        }
    }
}
