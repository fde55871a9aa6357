import Fluent
import Foundation
import GotongPlatform
import Vapor

/// Creates a ready-to-use tenant by cloning the master template in one transaction.
public struct TenantProvisioner: Sendable {
    public struct NewTenant: Sendable {
        public var slug: String
        public var name: String
        public var kind: Tenant.Kind?
        /// The email of its first administrator; empty for none.
        public var firstAdministrator: String
        public init(slug: String, name: String, kind: Tenant.Kind?, firstAdministrator: String = "") {
            self.slug = slug
            self.name = name
            self.kind = kind
            self.firstAdministrator = firstAdministrator
        }
    }

    public struct Provisioned: Sendable {
        public let tenant: Tenant
        /// Wall time from the start of the transaction to its commit.
        public let milliseconds: Double
        /// The first administrator's invitation, to send now that the tenant is committed.
        public var afterCommit: FirstAdministrator.AfterCommit? = nil
        /// The first administrator's address, for the audit log.
        public var firstAdministrator = ""
        /// ` first_admin=…` for the audit entry of the creation, or nothing.
        public var firstAdministratorNote: String {
            firstAdministrator.isEmpty ? "" : " first_admin=\(firstAdministrator)"
        }
    }

    let db: any Database
    let cloners: TenantCloneRegistry
    let founder: FirstAdministrator?

    public init(db: any Database, cloners: TenantCloneRegistry, founder: FirstAdministrator? = nil) {
        self.db = db
        self.cloners = cloners
        self.founder = founder
    }

    public func provision(_ request: NewTenant) async throws -> Provisioned {
        let slug = request.slug.trimmingCharacters(in: .whitespaces).lowercased()
        var problems = ProblemList()
        let name = problems.text(request.name, "name", max: 200, required: "tenant.error.name_required")
        if !Tenant.isValidSlug(slug) { problems.add("slug", "tenant.error.slug_invalid") }
        if request.kind == nil { problems.add("kind", "tenant.error.kind_invalid") }
        let firstAdmin = EmailAddress.normalise(request.firstAdministrator)
        if !firstAdmin.isEmpty, !EmailAddress.isValid(firstAdmin) || founder == nil {
            problems.add("first_admin", "tenant.error.first_admin")
        }
        try problems.throwIfAny()
        if try await Tenant.query(on: db).filter(\.$slug == slug).count() > 0 {
            throw InputError(field: "slug", key: "tenant.error.slug_taken", args: ["slug": slug], status: .conflict)
        }

        let started = ContinuousClock.now
        let cloners = self.cloners.all
        let (tenant, afterCommit) = try await db.lockingTransaction { tx in
            let master = try await Tenant.master(on: tx)
            let tenant = Tenant(slug: slug, name: name, kind: request.kind ?? .lainnya, branding: master.branding)
            try await tenant.create(on: tx)
            let context = TenantCloneContext(db: tx, masterID: try master.requireID(), tenantID: try tenant.requireID())
            for cloner in cloners {
                try await cloner.clone(context)
            }
            let invite = firstAdmin.isEmpty ? nil : try await founder?.appoint(firstAdmin, tenant, tx)
            return (tenant, invite)
        }
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return Provisioned(tenant: tenant, milliseconds: ms, afterCommit: afterCommit, firstAdministrator: firstAdmin)
    }
}

extension Request {
    /// Creates a tenant as the web form and the API both do: provisioned with the modules'
    /// cloners and first administrator, the invitation sent once committed, the act audited.
    func provisionTenant(_ request: TenantProvisioner.NewTenant) async throws -> TenantProvisioner.Provisioned {
        let result = try await TenantProvisioner(
            db: db, cloners: application.tenantCloners, founder: application.firstAdministrator
        ).provision(request)
        result.afterCommit?(self)
        try await audit(
            "tenant.create", subject: result.tenant.slug,
            detail: String(format: "%.1f ms", result.milliseconds) + result.firstAdministratorNote,
            tenantID: result.tenant.id)
        return result
    }
}
