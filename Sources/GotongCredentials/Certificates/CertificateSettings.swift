import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// How a tenant's certificates are numbered and who signs them. A tenant that never saved its
/// settings numbers `{KODE}/{TAHUN}/{URUT}` and prints its own name as the signer's office.
public final class CertificateSettings: TenantOwned, @unchecked Sendable {
    public static let schema = "certificate_settings"
    public static var tenantKey: KeyPath<CertificateSettings, FieldProperty<CertificateSettings, UUID>> { \.$tenantID }

    /// The placeholders a number format may use; `{URUT}` and `{TAHUN}` are required (the
    /// sequence starts again each year), so numbers never repeat.
    public static let placeholders = ["{KODE}", "{TAHUN}", "{URUT}"]
    public static let defaultFormat = "{KODE}/{TAHUN}/{URUT}"

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "number_format") public var numberFormat: String
    @Field(key: "signer_name") public var signerName: String
    @Field(key: "signer_position") public var signerPosition: String

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $numberFormat, $signerName, $signerPosition] }

    /// The number of the `sequence`th certificate of `year`: the sequence has at least five
    /// digits, so numbers of one year sort as text.
    static func number(format: String, slug: String, year: Int, sequence: Int) -> String {
        let digits = String(sequence)
        return
            format
            .replacingOccurrences(of: "{KODE}", with: slug.uppercased())
            .replacingOccurrences(of: "{TAHUN}", with: String(year))
            .replacingOccurrences(of: "{URUT}", with: String(repeating: "0", count: max(0, 5 - digits.count)) + digits)
    }

    /// Checks what an administrator typed; problems are keyed by field.
    static func validated(format: String, signerName: String, signerPosition: String) throws -> (String, String, String)
    {
        var problems = ProblemList()
        let format = problems.text(format, "number_format", max: 80, required: "certificate.error.format_required")
        let name = problems.text(signerName, "signer_name", max: 120, required: "certificate.error.signer_required")
        let position = problems.text(
            signerPosition, "signer_position", max: 160, required: "certificate.error.position_required")
        if !format.isEmpty {
            var rest = format
            for placeholder in placeholders { rest = rest.replacingOccurrences(of: placeholder, with: "") }
            // The sequence starts again each year: without the year, numbers would repeat.
            if !format.contains("{URUT}") || !format.contains("{TAHUN}") {
                problems.add("number_format", "certificate.error.format_sequence")
            } else if rest.contains("{") || rest.contains("}")
                || !rest.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 })
            {
                problems.add("number_format", "certificate.error.format_characters")
            }
        }
        try problems.throwIfAny()
        return (format, name, position)
    }
}

/// The signer of one course's certificates, when not the tenant's (a course run with a partner
/// institution, say).
public final class CourseSigner: TenantOwned, @unchecked Sendable {
    public static let schema = "course_signers"
    public static var tenantKey: KeyPath<CourseSigner, FieldProperty<CourseSigner, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "signer_name") public var signerName: String
    @Field(key: "signer_position") public var signerPosition: String

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $courseID, $signerName, $signerPosition] }
}
