import Foundation
import GotongPlatform

extension ModuleResources {
    /// Learning's strings and its API paths.
    public static var learning: ModuleResources {
        get throws { try ModuleResources(module: "GotongLearning", bundle: .module) }
    }
}
