import Vapor

/// An email to one person.
public struct Mail: Sendable {
    public var to: String
    public var subject: String
    public var body: String

    package init(to: String, subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }
}

/// Sends mail. Without SMTP settings mail goes to the log, so a newcomer can still follow
/// verification and reset links.
public protocol Mailer: Sendable {
    func send(_ mail: Mail) async throws
}

/// Writes each mail to the log at notice level, links included.
public struct LogMailer: Mailer {
    let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    public func send(_ mail: Mail) async throws {
        logger.notice("mail to \(mail.to): \(mail.subject)\n\(mail.body)")
    }
}

/// Keeps sent mail in memory; tests read the links out of it.
public final class MemoryMailer: Mailer, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [Mail] = []

    public init() {}

    public func send(_ mail: Mail) async throws {
        lock.withLock { sent.append(mail) }
    }

    public var outbox: [Mail] { lock.withLock { sent } }
}

extension Application {
    private struct MailerKey: StorageKey { typealias Value = any Mailer }

    public var mailer: any Mailer {
        get { storage[MailerKey.self] ?? LogMailer(logger: logger) }
        set { storage[MailerKey.self] = newValue }
    }
}
