import Foundation
import GotongPlatform

extension ModuleResources {
    /// Learning's templates (outline, activities and their types, the editor, monitoring) and
    /// strings, and its API paths.
    public static var learning: ModuleResources {
        get throws { try ModuleResources(module: "GotongLearning", bundle: .module) }
    }
}
