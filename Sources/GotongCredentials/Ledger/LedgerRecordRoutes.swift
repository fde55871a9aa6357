import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import Vapor

/// The person's own records of learning done elsewhere: the form (with the certificate file),
/// withdrawing one not yet verified, and its file.
package struct LedgerRecordRoutes: RouteCollection {
    package init() {}

    /// The form's certificate file and its other fields.
    static let maxUpload: ByteCount = "6mb"

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(CredentialsRoute.recordLearning, use: form)
        routes.upload(.POST, CredentialsRoute.recordLearning, maxSize: Self.maxUpload, use: record)
        routes.post(CredentialsRoute.withdrawEntry(.key), use: withdraw)
        routes.get(CredentialsRoute.entryFile(.key), use: file)
    }

    func form(req: Request) async throws -> Response {
        _ = try req.requirePerson()
        return try await render(req, values: [:], errors: [:])
    }

    private func render(
        _ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let today = LocalDates.isoDay.string(from: req.application.clock.now())
        return try await req.render(
            RecordLearningModel(values: values, errors: errors, today: today), title: "ledger.record.title", brand: nil,
            status: status)
    }

    func record(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let received = try await req.receivedForm()
        let v = received.values
        var form = ExternalLearning.Form()
        (form.title, form.kind, form.provider) = (v["title"], v["kind"], v["provider"])
        (form.startedOn, form.completedOn, form.jp) = (v["started_on"], v["completed_on"], v["jp"])
        (form.competencyType, form.certificateNumber) = (v["competency_type"], v["certificate_number"])
        let now = req.application.clock.now()
        // The fields and the file are judged together, so every problem is shown at once.
        var problems = ProblemList()
        var checked: LedgerEntry?
        do {
            checked = try ExternalLearning.entry(from: form, person: try person.requireID(), now: now)
        } catch let error as InputError {
            problems.problems += error.problems
        }
        let upload = received.files["file"].flatMap { $0.size > 0 ? $0 : nil }
        let kind = upload.flatMap { ExternalLearning.check($0, problems: &problems) }
        guard let entry = checked, problems.isEmpty else {
            let errors = InputError(problems.problems).messages(req)
            return try await render(req, values: v, errors: errors, status: .unprocessableEntity)
        }
        if let upload, let kind {
            let key =
                "ledger/\(try person.requireID().uuidString.lowercased())/\(UUID().uuidString.lowercased())."
                + kind.fileExtension
            try await req.application.files.put(upload, at: key)
            entry.fileKey = key
            entry.fileName = LedgerFiles.displayName(upload.filename, kind: kind)
        }
        do {
            try await entry.create(on: req.database)
        } catch {
            // No record, no file: nothing is kept half-way.
            if let key = entry.fileKey { try? await req.application.files.delete(key) }
            throw error
        }
        req.flash(.success, "ledger.record.saved", ["title": entry.title])
        return req.seeOther(CredentialsRoute.myLedger.path + "?tahun=\(entry.year)")
    }

    func withdraw(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let id = try req.parameter(LedgerEntryID.self).rawValue
        do {
            let gone = try await ExternalLearning(db: req.database).withdraw(id, of: try person.requireID())
            if let key = gone.fileKey { try? await req.application.files.delete(key) }
            req.flash(.success, "ledger.record.withdrawn", ["title": gone.title])
            return req.seeOther(CredentialsRoute.myLedger.path + "?tahun=\(gone.year)")
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "ledger.error.verified_stays")
            return req.seeOther(CredentialsRoute.myLedger.path)
        }
    }

    func file(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let id = try req.parameter(LedgerEntryID.self).rawValue
        guard let entry = try await ExternalLearning(db: req.database).own(id, of: try person.requireID()) else {
            throw Abort(.notFound)
        }
        return try await LedgerFiles.serve(entry, req: req)
    }
}

/// Certificate files of records of learning elsewhere.
enum LedgerFiles {
    static func serve(_ entry: LedgerEntry, req: Request) async throws -> Response {
        guard let key = entry.fileKey else { throw Abort(.notFound) }
        let kind = ExternalLearning.fileKinds.first { key.hasSuffix("." + $0.fileExtension) }
        let response = try await req.application.files.serve(key, as: kind?.mediaType ?? .binary, for: req)
        response.headers.setAttachment(filename: entry.fileName ?? "sertifikat")
        return response
    }

    /// The sender's file name for showing: no folders or control characters, at most 120
    /// characters, with the extension its bytes have.
    static func displayName(_ sent: String, kind: FileKind) -> String {
        kind.displayName(for: sent, fallback: "sertifikat", max: 110)
    }
}
