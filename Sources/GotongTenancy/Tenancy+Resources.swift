import Foundation
import GotongPlatform

extension ModuleResources {
    /// Tenancy's strings and its API paths.
    public static var tenancy: ModuleResources {
        get throws { try ModuleResources(module: "GotongTenancy", bundle: .module) }
    }
}
