import Foundation
import GotongPlatform

extension ModuleResources {
    /// Catalog's strings and its API paths.
    public static var catalog: ModuleResources {
        get throws { try ModuleResources(module: "GotongCatalog", bundle: .module) }
    }
}
