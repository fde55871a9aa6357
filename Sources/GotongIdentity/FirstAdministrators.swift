import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Identity's part of creating an institution: its first administrator (``FirstAdministrator``).
/// The account of the email is found or made (without a password: an activation link sets it),
/// gets the institution's administrator role, and is told by mail once the institution exists.
enum FirstAdministrators {
    static let appointment = FirstAdministrator { email, tenant, db in
        let tenantID = try tenant.requireID()
        let person: Person
        if let known = try await Person.find(email: email, on: db) {
            person = known
        } else {
            person = Person(id: UUID(), name: displayName(of: email), email: email, homeTenantID: tenantID)
            try await person.create(on: db)
        }
        let personID = try person.requireID()
        let isAdmin =
            try await TenantScope(tenantID: tenantID, db: db).query(Membership.self)
            .filter(\.$personID == personID).filter(\.$role == .admin).count() > 0
        if !isAdmin {
            try await Membership(id: UUID(), tenantID: tenantID, personID: personID, role: .admin).create(on: db)
        }
        // Someone who never set a password, or never proved the address (anyone may register
        // an address with a password of their own), gets a link that sets it; setting it ends
        // every session and proves the address. Others are told the news.
        var secret: String?
        if person.passwordHash == nil || person.emailVerifiedAt == nil {
            let (token, text) = PersonToken.issue(for: personID, purpose: .activate)
            try await token.create(on: db)
            secret = text
        }
        let (name, tenantName, slug, link) = (person.name, tenant.name, tenant.routeSlug, secret)
        return { req in
            if let secret = link {
                req.sendActivationMails([(email, name, secret)], tenantName: tenantName)
            } else {
                req.sendMail(
                    to: email, subject: "mail.admin_granted.subject", body: "mail.admin_granted.body",
                    ["name": name, "tenant": tenantName, "link": TenancyRoute.desk(.tenant(slug)).path])
            }
        }
    }

    /// A name to start with, from the address's local part ("budi.santoso" → "Budi Santoso");
    /// the person changes it on their profile.
    static func displayName(of email: String) -> String {
        let local = email.split(separator: "@").first.map(String.init) ?? email
        let words = local.split(whereSeparator: { ".-_+".contains($0) || $0.isNumber }).map { $0.capitalized }
        return words.isEmpty ? local : words.joined(separator: " ")
    }
}

extension Request {
    /// One mail in the caller's language, sent after the response; a failure is logged.
    func sendMail(to email: String, subject: String, body: String, _ args: [String: String]) {
        let mailer = application.mailer
        let localizer = application.localizer
        var args = args
        if let link = args["link"] { args["link"] = application.gotong.baseURL + link }
        let (language, logger) = (self.language, self.logger)
        let values = args
        Task.detached {
            do {
                try await mailer.send(
                    Mail(
                        to: email, subject: localizer.text(subject, language, values),
                        body: localizer.text(body, language, values)))
            } catch {
                logger.error("mail to \(email) failed: \(error)")
            }
        }
    }
}
