import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import Vapor

/// The person's year to take elsewhere: CSV, PDF and SIASN training history on the web, and
/// the SIASN records in the API.
package struct LedgerExportRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(CredentialsRoute.myLedgerCSV, use: csv)
        routes.get(CredentialsRoute.myLedgerPDF, use: pdf)
        routes.get(CredentialsRoute.myLedgerSIASN, use: siasnFile)
        routes.get(CredentialsAPIRoute.mySIASN, use: siasn)
    }

    private func export(_ req: Request, yearName: String) async throws -> LedgerExport {
        let person = try req.requirePerson()
        let year =
            try req.queryNumber(yearName, in: LedgerAPIRoutes.years) ?? LocalDates.year(of: req.application.clock.now())
        return try await LedgerExport.load(person, year: year, on: req.database)
    }

    private func file(_ body: ByteBuffer, type: HTTPMediaType, name: String) -> Response {
        Response.download(body, type: type, filename: name)
    }

    func csv(req: Request) async throws -> Response {
        let export = try await export(req, yearName: "tahun")
        return file(
            ByteBuffer(string: export.csv(req.texts)),
            type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
            name: "catatan-jp-\(export.year).csv")
    }

    func pdf(req: Request) async throws -> Response {
        let export = try await export(req, yearName: "tahun")
        return file(
            export.pdf(req.texts, now: req.application.clock.now()),
            type: HTTPMediaType(type: "application", subType: "pdf"), name: "catatan-jp-\(export.year).pdf")
    }

    /// SIASN's records are Indonesian whatever language the person reads Gotong in.
    static func indonesian(_ req: Request) -> Texts { Texts(req.application.localizer, .id) }

    static func json(_ value: LedgerExport.SIASN) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(data: try encoder.encode(value))
    }

    func siasnFile(req: Request) async throws -> Response {
        let export = try await export(req, yearName: "tahun")
        return file(
            try Self.json(export.siasn(Self.indonesian(req))), type: .json,
            name: "riwayat-kursus-siasn-\(export.year).json")
    }

    func siasn(req: Request) async throws -> Response {
        let export = try await export(req, yearName: "year")
        let response = Response(status: .ok, body: .init(buffer: try Self.json(export.siasn(Self.indonesian(req)))))
        response.headers.contentType = .json
        return response
    }
}
