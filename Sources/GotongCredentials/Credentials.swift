import Fluent
import Foundation
import GotongEvaluation
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The Credentials module's registrations, made once by `configure`: what a finished course
/// earns. It hangs off Learning's completion hooks, which are told through the jobs table, so
/// a completion made anywhere (online, by hand, by a live-episode claim) is credited once,
/// also across a crash.
package enum Credentials {
    package static var migrations: [any Migration] {
        [
            CreateLedger(), CreateCertificates(), AddLedgerDetails(), CreateReminderRuns(), AddLedgerSumIndex(),
            CreateBadges(),
        ]
    }

    package static func setUp(_ app: Application) {
        // The course's JP go to the person's year; told again, the credit is not repeated.
        app.learning.completionHooks.register("credentials.jp") { event, app in
            try await JPLedger(db: app.db).credit(event)
        }
        // The certificate, numbered in the tenant's sequence; told again, it is not issued twice.
        // A course that requires its evaluation first issues it when the last form is in
        // (Evaluation tells the completion again then).
        app.learning.completionHooks.register("credentials.certificate") { event, app in
            guard try await LevelOne(db: app.db).allowsCertificate(event) else { return }
            try await CertificateIssuer(db: app.db).issue(event, now: app.clock.now())
        }
        app.jobs.register(LedgerReminders.job, as: LedgerReminders.Chunk.self) { chunk, app in
            try await LedgerReminders.run(chunk, app: app)
        }
        // Made before the server answers: requests only read it (Application storage is not
        // for writing from many threads).
        _ = app.issuerKeys
        app.storedRoutes.register(CredentialsRoute.self)
        app.deskTools.register(
            DeskTool(position: 35) { desk in
                switch desk {
                case .tenant(let tenant): ("ledger.desk.tool", CredentialsRoute.ledgerDesk(tenant).path)
                // The platform's own page of every institution, from the platform's desk.
                case .master: ("ledger.platform.tool", CredentialsRoute.platformCompliance.path)
                }
            })
        app.deskTools.register(
            DeskTool(position: 40) { desk in
                guard case .tenant(let tenant) = desk else { return nil }
                return ("certificate.desk.tool", CredentialsRoute.certificates(tenant).path)
            })
        app.deskTools.register(
            DeskTool(position: 42) { desk in
                guard case .tenant(let tenant) = desk else { return nil }
                return ("badge.desk.tool", CredentialsRoute.badges(tenant).path)
            })
    }
}
