import Foundation
import GotongPlatform
import GotongTenancy
import Tagged
import Vapor

/// A person's id, across module boundaries (not an address: people are never named in one).
public typealias PersonID = Tagged<Person, UUID>

extension APIToken: PathTag { public static let parameterName = "tokenID" }
/// An API token's id (never its secret).
public typealias APITokenID = Tagged<APIToken, UUID>

extension PendingImport: PathTag { public static let parameterName = "importID" }
/// A people import waiting to be saved.
public typealias ImportID = Tagged<PendingImport, UUID>

/// The tag of a mailed secret in an address (`/verifikasi-email/{token}`).
public enum MailedSecretTag: PathTag { public static let parameterName = "token" }
/// The secret of a mailed link: whoever holds it may use it once.
public typealias MailedSecret = Tagged<MailedSecretTag, String>

/// Every page of Identity, as a value: signing in and out, registering, the mailed links,
/// the profile and its tokens, the language switch, and a tenant's members and imports.
public enum IdentityRoute: SiteRoute {
    case signIn
    case signOut
    case register
    case verify(Param<MailedSecret>)
    case forgotPassword
    case setPassword(Param<MailedSecret>)
    case profile
    case createToken
    case revokeToken(Param<APITokenID>)
    case signOutEverywhere
    case language(Param<Language>)
    case members(Param<TenantSlug>)
    case importPeople(Param<TenantSlug>)
    case saveImport(Param<TenantSlug>, Param<ImportID>)
    /// A CSV file to fill in: the import's columns and an example row.
    case importTemplate(Param<TenantSlug>)
    case tenantAudit(Param<TenantSlug>)

    public var segments: [PathSegment] {
        switch self {
        case .signIn: ["masuk"]
        case .signOut: ["keluar"]
        case .register: ["daftar"]
        // Not `/verifikasi/…`: that is where anyone checks a certificate, an address printed on
        // paper. Links mailed before the move are sent on from there.
        case .verify(let secret): ["verifikasi-email", .param(secret)]
        case .forgotPassword: ["lupa-sandi"]
        case .setPassword(let secret): ["atur-sandi", .param(secret)]
        case .profile: ["profil"]
        case .createToken: ["profil", "token"]
        case .revokeToken(let token): ["profil", "token", .param(token), "cabut"]
        case .signOutEverywhere: ["profil", "keluar-semua"]
        case .language(let language): ["bahasa", .param(language)]
        case .members(let t): TenantDesk.tenant(t).segments + ["anggota"]
        case .importPeople(let t): TenantDesk.tenant(t).segments + ["impor"]
        case .saveImport(let t, let i): Self.importPeople(t).segments + [.param(i), "simpan"]
        case .importTemplate(let t): Self.importPeople(t).segments + ["templat-peserta.csv"]
        case .tenantAudit(let t): TenantDesk.tenant(t).segments + ["audit"]
        }
    }
}

/// Identity's part of the JSON API under `/api/v1`.
public enum IdentityAPIRoute: SiteRoute {
    case tokens
    case token(Param<APITokenID>)
    case me
    case importPeople(Param<TenantSlug>)

    public var segments: [PathSegment] {
        switch self {
        case .tokens: ["api", "v1", "tokens"]
        case .token(let token): ["api", "v1", "tokens", .param(token)]
        case .me: ["api", "v1", "me"]
        case .importPeople(let t): TenancyRoute.api(t).segments + ["people", "import"]
        }
    }
}
