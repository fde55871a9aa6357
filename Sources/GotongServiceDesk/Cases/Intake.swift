import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Crypto
import SQLKit
import Vapor

/// A citizen's report, from the web form or the API, checked as a whole: every problem at once,
/// and nothing written unless all is good.
public struct Report: Sendable {
    public var kind: String?
    public var category: String?
    public var text: String?
    public var location: String?
    public var latitude: Double?
    public var longitude: Double?
    public var privacy: String?
    public var name: String?
    public var email: String?
    public var phone: String?
    public var nik: String?
    /// The channel the API was told the contact is on (only `web` is taken there).
    public var contactChannel: String?

    public init() {}

    struct Checked {
        let kind: DeskCase.Kind
        let category: DeskCategory
        let text, location, name, email, phone, nik: String
        let latitude, longitude: Double?
        let privacy: DeskCase.Privacy
        /// The reporter's id on a platform (empty from the web), and the public comment it began as.
        var handle = ""
        var comment: String?

        /// The contact as officers may see it: none when anonymous; the phone, the email, or
        /// the platform's name, masked.
        var masked: String {
            if privacy == .anonymous { return "" }
            if !phone.isEmpty { return Masking.phone(phone) }
            if !email.isEmpty { return Masking.email(email) }
            return name.isEmpty ? "" : Masking.keepEnds("@" + name, head: 3, tail: 0)
        }
    }

    /// Checks the report against the desk's categories; throws every problem.
    func checked(categories: [DeskCategory]) throws -> Checked {
        var p = ProblemList()
        let kind = DeskCase.Kind(rawValue: kind ?? "aduan")
        if kind == nil { p.add("kind", "desk.error.kind") }
        let chosen = self.category
        let category = categories.first { $0.slug == chosen }
        if category == nil { p.add("category", "desk.error.category") }
        let text = p.text(text, "text", max: 4000, required: "desk.error.text")
        if !text.isEmpty, text.count < 20 { p.add("text", "desk.error.text_short") }
        let location = p.text(location, "location", max: 300)
        if let latitude, !(-11.5...6.5).contains(latitude) { p.add("latitude", "desk.error.coordinates") }
        if let longitude, !(94.5...141.5).contains(longitude) { p.add("longitude", "desk.error.coordinates") }
        if (latitude == nil) != (longitude == nil) { p.add("latitude", "desk.error.coordinates") }
        let privacy = DeskCase.Privacy(rawValue: privacy ?? "public")
        if privacy == nil { p.add("privacy", "desk.error.privacy") }
        let name = p.text(name, "name", max: 120)
        let email = EmailAddress.normalise(p.text(email, "email", max: 200))
        if !email.isEmpty, !EmailAddress.isValid(email) { p.add("email", "desk.error.email") }
        let phone = Self.digits(p.text(phone, "phone", max: 20))
        if !phone.isEmpty, !(9...15).contains(phone.count) { p.add("phone", "desk.error.phone") }
        // Typed as printed on the card: in groups, with spaces or dots.
        let nik = p.text(nik?.filter { $0 != " " && $0 != "." }, "nik", max: 16)
        if !nik.isEmpty, nik.count != 16 || !nik.utf8.allSatisfy({ (48...57).contains($0) }) {
            p.add("nik", "desk.error.nik")
        }
        if email.isEmpty, phone.isEmpty { p.add("contact", "desk.error.contact") }
        if let contactChannel, contactChannel != "web" { p.add("contact.channel", "desk.error.channel") }
        try p.throwIfAny()
        return Checked(
            kind: kind!, category: category!, text: text, location: location, name: name, email: email, phone: phone,
            nik: nik, latitude: latitude, longitude: longitude, privacy: privacy!)
    }

    /// A phone number as digits, `+62` read as `0`: `+62 812-3456-7890` is `081234567890`.
    static func digits(_ phone: String) -> String {
        var digits = phone.filter(\.isASCII).filter(\.isNumber)
        if phone.hasPrefix("+62") || (digits.hasPrefix("62") && digits.count > 11) {
            digits = String(digits.dropFirst(2))
            // `+62 0812…`: the trunk 0 written after the country code anyway.
            if !digits.hasPrefix("0") { digits = "0" + digits }
        }
        return digits
    }
}

/// Turning a checked report into a case: its number, its first deadline, the reporter kept
/// apart, the text as the conversation's first message, and the history's first step.
public struct Intake: Sendable {
    let scope: TenantScope
    let now: Date

    public init(scope: TenantScope, now: Date) {
        self.scope = scope
        self.now = now
    }

    /// Reports one address may send a tenant in an hour (an office or a mobile network puts
    /// many citizens behind one address; a robot sends far more).
    public static let reportsPerHour = 20

    /// The new case and the tracking code its citizen follows it with (shown once, grouped).
    /// `source` names the web or API sender (``source(of:key:)``) for the limit of reports per
    /// sender; nil for the channels.
    /// `attachment`: a file already stored, written with the report's message; `problems` of
    /// the form's other fields (its file) are told together with the report's own.
    func open(
        _ report: Report, channel: DeskCase.Channel, source: String?, attachment: DeskFiles.Stored? = nil,
        problems: [InputError.Problem] = []
    ) async throws -> (case: DeskCase, secret: String) {
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let checked: Report.Checked
        do {
            checked = try report.checked(categories: try await DeskSetup.categories(scope))
        } catch let error as InputError {
            throw InputError(error.problems + problems, status: error.status)
        }
        if !problems.isEmpty { throw InputError(problems) }
        return try await write(
            checked, channel: channel, source: source ?? "", settings: settings, attachment: attachment)
    }

    /// A platform's first message from a contact as a case: confidential (a private message is
    /// not for the tracker), of the desk's "other" category until an officer knows better,
    /// routed by its words. `claim` runs first in the case's transaction (the delivery's
    /// record, which refuses a retry before any number is taken).
    func open(
        _ inbound: Inbound, channel: DeskCase.Channel, claim: @escaping @Sendable (any Database) async throws -> Void
    ) async throws -> DeskCase {
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let categories = try await DeskSetup.categories(scope)
        guard let category = categories.first(where: { $0.slug == "lainnya" }) ?? categories.last else {
            throw Abort(.notFound)
        }
        let phone = channel == .whatsapp ? Report.digits("+" + inbound.handle) : ""
        let checked = Report.Checked(
            kind: .aduan, category: category, text: String(inbound.text.prefix(4000)), location: "",
            name: String(inbound.name.prefix(120)), email: "", phone: phone, nik: "", latitude: nil, longitude: nil,
            privacy: .confidential, handle: inbound.handle, comment: inbound.comment)
        return try await write(
            checked, channel: channel, source: "", settings: settings, claim: claim, media: inbound.media
        ).case
    }

    private func write(
        _ checked: Report.Checked, channel: DeskCase.Channel, source: String, settings: DeskSettings,
        claim: (@Sendable (any Database) async throws -> Void)? = nil, attachment: DeskFiles.Stored? = nil,
        media: String? = nil
    ) async throws -> (case: DeskCase, secret: String) {
        let calendar = try await DeskSetup.calendar(settings, scope)
        let unit = Routing.unit(
            for: try checked.category.requireID(), text: checked.text,
            rules: try await scope.query(DeskRule.self).all())
        let secret = TrackingCode.code.random()
        let made = try await scope.db.lockingTransaction { tx in
            try await claim?(tx)
            let item = DeskCase()
            item.id = UUID()
            // Written first under a number of its own: the tenant's counter is taken last, so its
            // row (which puts the tenant's reports in a row) is held for two statements, not
            // for the whole report — a burst of reports waits on it briefly.
            (item.tenantID, item.number, item.kind, item.channel) = (
                scope.tenantID, "#" + item.id!.uuidString, checked.kind, channel
            )
            (item.categoryID, item.text, item.location) = (
                try checked.category.requireID(), checked.text, checked.location
            )
            (item.latitude, item.longitude, item.privacy, item.status) =
                (checked.latitude, checked.longitude, checked.privacy, .baru)
            item.contactMasked = checked.masked
            (item.secretHash, item.stageStartedAt, item.createdAt, item.updatedAt) =
                (TrackingCode.hash(secret, of: item.id!), now, now, now)
            (item.sourceHash, item.unitID, item.escalation) = (source, unit, 0)
            item.dueAt = calendar.adding(workingDays: settings.verifyDays, to: now)
            try await item.create(on: tx)
            let reporter = DeskReporter()
            (reporter.tenantID, reporter.caseID, reporter.name) = (scope.tenantID, item.id!, checked.name)
            (reporter.email, reporter.phone, reporter.nik) = (checked.email, checked.phone, checked.nik)
            (reporter.handle, reporter.comment) = (checked.handle, checked.comment)
            try await reporter.create(on: tx)
            let message = try DeskMessage(on: item, .incoming, channel, body: checked.text, at: now)
            message.id = UUID()
            try await message.create(on: tx)
            try await DeskFiles.attach(attachment, to: message, on: tx, now: now)
            try await ChannelMedia.queue(media, on: channel, for: message, db: tx, now: now)
            try await CaseWork.record(item, from: nil, by: nil, note: "", now: now, on: tx)
            try await Escalation.schedule(item, on: tx)
            // The number, and the sender's reports of the hour counted behind the counter's row:
            // parallel reports from one sender cannot all slip under the limit (this one is
            // among them), and a refused one takes no number (the transaction rolls back).
            let number = try await CaseNumbers.next(
                tenantID: scope.tenantID, year: Self.year(of: now, in: calendar), on: tx)
            if !source.isEmpty {
                let recent = try await TenantScope(tenantID: scope.tenantID, db: tx).query(DeskCase.self)
                    .filter(\.$sourceHash == source).filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
                if recent > Self.reportsPerHour {
                    throw InputError(field: "text", key: "desk.error.too_many", status: .tooManyRequests)
                }
            }
            item.number = number.description
            try await item.save(on: tx)
            try await DeskNotices.routed(item, except: nil, on: tx, now: now)
            return item
        }
        return (made, TrackingCode.shown(secret))
    }

    /// The key a sender's reports are counted under: a keyed hash of their address (the
    /// address cannot be read back from it, even by someone who has the database), an IPv6
    /// address by its /64 (one phone has all of it).
    public static func source(of address: String, key: SymmetricKey) -> String {
        var sender = address
        if address.contains(":") {
            sender = address.split(separator: ":", omittingEmptySubsequences: false).prefix(4).joined(separator: ":")
        }
        let code = HMAC<SHA256>.authenticationCode(for: Data(sender.utf8), using: key)
        return Data(code).hex
    }

    /// The year a moment falls in, in the desk's zone.
    static func year(of date: Date, in calendar: WorkingCalendar) -> Int {
        Int(calendar.key(of: date).prefix(4)) ?? LocalDates.year(of: date)
    }
}

/// The secret a citizen follows their case with: twelve characters of Crockford's base32 (60
/// random bits), shown in groups of four to be written down (`4F7K-9Q2M-XA8B`) and read back
/// forgivingly. Only its hash is kept.
enum TrackingCode {
    static let code = CrockfordCode(length: 12)

    static func shown(_ plain: String) -> String { code.grouped(plain, by: 4, separator: "-") }

    /// The hash kept of a case's code, salted with the case's id: a copy of the database cannot
    /// be searched for all cases' codes at once.
    static func hash(_ plain: String, of caseID: UUID) -> String { SecretToken.hash(caseID.uuidString + ":" + plain) }

    /// Whether `typed` is the code of `item`.
    static func matches(_ typed: String, of item: DeskCase) -> Bool {
        guard let plain = code.normalised(typed), let id = item.id else { return false }
        return SecretToken.matches(id.uuidString + ":" + plain, hash: item.secretHash)
    }
}
