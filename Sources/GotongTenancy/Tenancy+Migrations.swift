import Fluent
import Foundation
import GotongPlatform

/// Creates the tenants table. The master template row is created by `CreateMasterTemplate`.
package struct CreateTenants: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(Tenant.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("description", .string, .required)
            .field("tagline", .string, .required)
            .field("primary_color", .string, .required)
            .field("logo_path", .string)
            .field("contact_email", .string, .required)
            .field("contact_phone", .string, .required)
            .field("address", .string, .required)
            .field("website", .string, .required)
            .field("status", .string, .required)
            .field("is_master", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(Tenant.schema).delete()
    }
}

/// Creates the storefront content tables; each key leads with `tenant_id` so the data can later be
/// partitioned by tenant.
package struct CreateTenantContent: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(TenantPage.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("key", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("position", .int, .required)
            .unique(on: "tenant_id", "key")
            .create()
        try await db.schema(TenantCategory.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("position", .int, .required)
            .unique(on: "tenant_id", "slug")
            .create()
        try await db.schema(TenantSetting.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("key", .string, .required)
            .field("value", .string, .required)
            .unique(on: "tenant_id", "key")
            .create()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(TenantSetting.schema).delete()
        try await db.schema(TenantCategory.schema).delete()
        try await db.schema(TenantPage.schema).delete()
    }
}

/// Seeds the master template with the standard storefront that every new tenant starts from.
/// Platform administrators edit it afterwards in the web UI.
package struct CreateMasterTemplate: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        let master = Tenant(
            slug: Tenant.masterSlug, name: "Templat Induk", kind: .lainnya,
            branding: .init(
                description: "Lembaga pelatihan aparatur sipil negara.",
                tagline: "Belajar kapan saja, dari mana saja.",
                primaryColor: "#0b5cad"
            ),
            isMaster: true
        )
        try await master.create(on: db)
        let id = try master.requireID()
        try await [
            TenantSetting(
                tenantID: id, key: TenantSetting.Key.welcome.rawValue,
                value:
                    """
                    Selamat datang di ruang belajar kami. Pilih pelatihan yang sesuai dengan kebutuhan \
                    kompetensi Anda.
                    """
            ),
            TenantSetting(tenantID: id, key: TenantSetting.Key.openMembership.rawValue, value: "true"),
        ].create(on: db)
        try await [
            TenantPage(
                tenantID: id, key: "tentang", title: "Tentang Kami",
                body:
                    """
                    Kami adalah lembaga pelatihan yang mengembangkan kompetensi aparatur sipil \
                    negara.\n\nSetiap ASN berhak atas pengembangan kompetensi paling sedikit 20 JP setahun.
                    """,
                position: 1),
            TenantPage(
                tenantID: id, key: "bantuan", title: "Bantuan",
                body:
                    """
                    Masuk dengan akun Gotong Anda. Satu akun berlaku di semua instansi.\n\nLupa kata sandi? \
                    Gunakan tautan \"Lupa kata sandi\" di halaman masuk.
                    """,
                position: 2),
        ].create(on: db)
        try await [
            TenantCategory(tenantID: id, slug: "manajerial", name: "Kompetensi Manajerial", position: 1),
            TenantCategory(tenantID: id, slug: "teknis", name: "Kompetensi Teknis", position: 2),
            TenantCategory(tenantID: id, slug: "sosial-kultural", name: "Kompetensi Sosial Kultural", position: 3),
        ].create(on: db)
    }

    package func revert(on db: any Database) async throws {
        try await Tenant.query(on: db).filter(\.$isMaster == true).delete()
    }
}
