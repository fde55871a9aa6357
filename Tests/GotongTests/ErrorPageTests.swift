import Foundation
import Testing
import Vapor
@testable import GotongPlatform

/// What a page says when input was wrong and the page has no form to show it beside: every
/// problem in the reader's language, a file's row named, and none of the API's field names.
@Suite("Error pages")
struct ErrorPageTests {
    struct Refusing: Responder {
        let error: any Error
        func respond(to request: Request) -> EventLoopFuture<Response> { request.eventLoop.makeFailedFuture(error) }
    }

    @Test func aPageNamesEachProblemInTheReadersWordsWithItsRow() async throws {
        try await withGotong(.sqlite) { app, _ in
            let req = Request(
                application: app, method: .GET, url: "/t/contoh/unggah", on: app.eventLoopGroup.next())
            let refused = InputError([
                .init(field: "email", key: "error.400.detail", row: 3),
                .init(field: "course", key: "error.404.detail"),
            ])
            let page = try await GotongErrorMiddleware().respond(to: req, chainingTo: Refusing(error: refused)).get()
            let body = page.body.string ?? ""
            #expect(page.status == .unprocessableEntity)
            #expect(body.contains("Baris 3: Isi permintaan tidak dapat dibaca. Periksa kembali isian Anda."))
            #expect(body.contains("Halaman atau data yang Anda cari tidak ada."))
            #expect(!body.contains("email:") && !body.contains("course:"))
        }
    }
}
