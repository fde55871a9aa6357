import Foundation
import GotongPlatform

extension ModuleResources {
    /// Live Learning's strings and API paths.
    public static var liveLearning: ModuleResources {
        get throws { try ModuleResources(module: "GotongLiveLearning", bundle: .module) }
    }
}
