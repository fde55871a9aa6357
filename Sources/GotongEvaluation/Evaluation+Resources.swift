import Foundation
import GotongPlatform

extension ModuleResources {
    /// Evaluation's strings and API paths.
    public static var evaluation: ModuleResources {
        get throws { try ModuleResources(module: "GotongEvaluation", bundle: .module) }
    }
}
