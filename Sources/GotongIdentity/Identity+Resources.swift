import Foundation
import GotongPlatform

extension ModuleResources {
    /// Identity's strings and its API paths.
    public static var identity: ModuleResources {
        get throws { try ModuleResources(module: "GotongIdentity", bundle: .module) }
    }
}
