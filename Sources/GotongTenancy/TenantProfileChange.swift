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

    /// The most characters each text field takes; a longer value is refused, never cut.
    public static let limits = [
        "name": 200, "description": 2000, "tagline": 200, "contact_phone": 60, "address": 500, "website": 300,
    ]

    /// Every problem with the change; empty when it can be applied.
    public func problems() -> ProblemList {
        var problems = ProblemList()
        if let name { problems.text(name, "name", max: Self.limits["name"]!, required: "tenant.error.name_required") }
        for (field, value) in [
            ("description", description), ("tagline", tagline), ("contact_phone", contactPhone), ("address", address),
            ("website", website),
        ] {
            if let value { problems.text(value, field, max: Self.limits[field]!) }
        }
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
        if let name { tenant.name = name.cleanedText }
        if let description { tenant.description = description.cleanedText }
        if let tagline { tenant.tagline = tagline.cleanedText }
        if let primaryColor { tenant.primaryColor = primaryColor.trimmingCharacters(in: .whitespaces).lowercased() }
        if let contactEmail { tenant.contactEmail = EmailAddress.normalise(contactEmail) }
        if let contactPhone { tenant.contactPhone = contactPhone.cleanedText }
        if let address { tenant.address = address.cleanedText }
        if let website { tenant.website = website.cleanedText }
    }
}

extension CharacterSet {
    /// White space as JSON Schema patterns (`\s`) and most clients understand it: Unicode white
    /// space plus the ASCII separators U+001C–U+001F.
    static let schemaWhitespace = CharacterSet.whitespacesAndNewlines.union(
        CharacterSet(charactersIn: "\u{1C}\u{1D}\u{1E}\u{1F}\u{85}"))
}
