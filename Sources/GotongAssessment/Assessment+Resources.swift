import Foundation
import GotongPlatform

extension ModuleResources {
    /// Assessment's strings and its API paths.
    public static var assessment: ModuleResources {
        get throws { try ModuleResources(module: "GotongAssessment", bundle: .module) }
    }
}
