import Foundation
import GotongPlatform

extension ModuleResources {
    /// Credentials' strings and API paths.
    public static var credentials: ModuleResources {
        get throws { try ModuleResources(module: "GotongCredentials", bundle: .module) }
    }
}
