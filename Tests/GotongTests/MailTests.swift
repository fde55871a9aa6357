import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Mail goes through a real SMTP server: `./scripts/test` runs aiosmtpd on
/// `GOTONG_TEST_SMTP_PORT`, storing what it receives in the maildir `GOTONG_TEST_MAILDIR`.
@Suite("Mail")
struct MailTests {
    @Test func smtpRelayReceivesTheMail() async throws {
        let env = ProcessInfo.processInfo.environment
        if env["GOTONG_TEST_SQLITE_ONLY"] == "1", env["GOTONG_TEST_SMTP_PORT"] == nil { return }
        guard let port = env["GOTONG_TEST_SMTP_PORT"].flatMap(Int.init), let maildir = env["GOTONG_TEST_MAILDIR"] else {
            Issue.record("GOTONG_TEST_SMTP_PORT and GOTONG_TEST_MAILDIR are not set: run ./scripts/test")
            return
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let marker = UUID().uuidString
        let mailer = SMTPMailer(
            config: .init(host: "127.0.0.1", port: port, username: nil, password: nil, from: "noreply@gotong.test"),
            group: group, logger: Logger(label: "test"))
        try await mailer.send(
            Mail(
                to: "siti@contoh.go.id", subject: "Verifikasi email — Gotong",
                body: "Halo Siti,\n.\nBuka tautan: http://gotong.test/verifikasi/\(marker)\n"))
        try await group.shutdownGracefully()
        // The maildir holds one file per message; find ours and read it back.
        let folder = maildir + "/new"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        let messages = try files.map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
        let message = try #require(
            messages.first { text in
                guard let body = text.components(separatedBy: "\n\n").dropFirst().first else { return false }
                let decoded = Data(
                    base64Encoded: body.replacingOccurrences(of: "\n", with: "").replacingOccurrences(
                        of: "\r", with: ""))
                return decoded.map { String(decoding: $0, as: UTF8.self).contains(marker) } ?? false
            })
        #expect(message.contains("To: <siti@contoh.go.id>"))
        #expect(
            message.contains(
                "Subject: =?UTF-8?B?" + Data("Verifikasi email — Gotong".utf8).base64EncodedString() + "?="))
    }

    @Test func refusesCredentialsWithoutTLS() {
        #expect(throws: ConfigurationError.self) {
            _ = try GotongConfig.load(
                environment: ["SMTP_HOST": "relay", "SMTP_FROM": "a@b.go.id", "SMTP_USERNAME": "u"],
                directory: "/nonexistent")
        }
    }
}
