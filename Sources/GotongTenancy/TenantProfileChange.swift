import Foundation
import GotongPlatform

/// A change to a tenant's profile and branding, from the web editor or the API. Fields left nil
/// keep their value. Every rule lives here, so both ways in check the same things.
public struct TenantProfileChange: Sendable {
    public var name: String?
    public var description: String?
    public var tagline: String?
    public var primaryColor: String?
    public var contactEmail: String?
    public var contactPhone: String?
    public var address: String?
    public var website: String?

    public init(
        name: String? = nil, description: String? = nil, tagline: String? = nil, primaryColor: String? = nil,
        contactEmail: String? = nil, contactPhone: String? = nil, address: String? = nil, website: String? = nil
    ) {
        self.name = name
        self.description = description
        self.tagline = tagline
        self.primaryColor = primaryColor
        self.contactEmail = contactEmail
        self.contactPhone = contactPhone
        self.address = address
        self.website = website
    }

    /// Every problem with the change; empty when it can be applied.
    public func problems() -> ProblemList {
        var problems = ProblemList()
        if let name, name.trimmed(max: 200).isEmpty { problems.add("name", "tenant.error.name_required") }
        if let color = primaryColor?.trimmingCharacters(in: .whitespaces).lowercased() {
            if !Tenant.isValidColor(color) {
                problems.add("primary_color", "tenant.error.color_invalid")
            } else if !Tenant.isReadableColor(color) {
                problems.add("primary_color", "tenant.error.color_contrast")
            }
        }
        if let email = contactEmail.map(EmailAddress.normalise), !email.isEmpty, !EmailAddress.isValid(email) {
            problems.add("contact_email", "identity.error.email_invalid")
        }
        // Checked before control characters are dropped: "\u{84}" is not an empty address.
        if let website = website?.trimmingCharacters(in: .schemaWhitespace), !website.isEmpty,
            !(website.hasPrefix("https://") || website.hasPrefix("http://"))
        {
            problems.add("website", "tenant.error.website_invalid")
        }
        return problems
    }

    /// Applies the change, or throws every problem and leaves the tenant as it was.
    public func apply(to tenant: Tenant) throws {
        try problems().throwIfAny()
        if let name { tenant.name = name.trimmed(max: 200) }
        if let description { tenant.description = description.trimmed(max: 2000) }
        if let tagline { tenant.tagline = tagline.trimmed(max: 200) }
        if let primaryColor { tenant.primaryColor = primaryColor.trimmingCharacters(in: .whitespaces).lowercased() }
        if let contactEmail { tenant.contactEmail = EmailAddress.normalise(contactEmail) }
        if let contactPhone { tenant.contactPhone = contactPhone.trimmed(max: 60) }
        if let address { tenant.address = address.trimmed(max: 500) }
        if let website { tenant.website = website.trimmed(max: 300) }
    }
}

extension CharacterSet {
    /// White space as JSON Schema patterns (`\s`) and most clients understand it: Unicode white
    /// space plus the ASCII separators U+001C–U+001F.
    static let schemaWhitespace = CharacterSet.whitespacesAndNewlines.union(
        CharacterSet(charactersIn: "\u{1C}\u{1D}\u{1E}\u{1F}\u{85}"))
}
