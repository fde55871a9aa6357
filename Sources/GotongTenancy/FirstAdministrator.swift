import Fluent
import Foundation
import GotongPlatform
import Vapor

/// A new institution's first administrator, named by email in the form that creates it, so
/// the institution is not left without anyone who can run it. Accounts are Identity's, so
/// Identity registers how it is done (``Application/firstAdministrator``); Tenancy only asks.
public struct FirstAdministrator: Sendable {
    /// What to do once the institution is committed: mail the invitation.
    public typealias AfterCommit = @Sendable (Request) -> Void

    /// In the transaction that creates `tenant`: gives the account of `email` (made when there
    /// is none) the institution's administrator role, and returns what to send after commit.
    public let appoint: @Sendable (_ email: String, _ tenant: Tenant, _ db: any Database) async throws -> AfterCommit

    public init(
        appoint: @escaping @Sendable (_ email: String, _ tenant: Tenant, _ db: any Database) async throws -> AfterCommit
    ) {
        self.appoint = appoint
    }
}

extension Application {
    private struct FirstAdministratorKey: StorageKey { typealias Value = FirstAdministrator }

    /// How a new institution's first administrator is appointed; nil until Identity sets it.
    public var firstAdministrator: FirstAdministrator? {
        get { storage[FirstAdministratorKey.self] }
        set { storage[FirstAdministratorKey.self] = newValue }
    }
}
