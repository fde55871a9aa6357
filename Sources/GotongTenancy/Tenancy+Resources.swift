import Foundation
import GotongPlatform

extension ModuleResources {
    /// Tenancy's templates (storefront pages, the institution editor, audit, home) and strings, and its API paths.
    public static var tenancy: ModuleResources {
        get throws { try ModuleResources(module: "GotongTenancy", bundle: .module) }
    }
}
