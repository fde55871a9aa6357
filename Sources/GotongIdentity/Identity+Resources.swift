import Foundation
import GotongPlatform

extension ModuleResources {
    /// Identity's templates (sign-in, registration, profile, members, import) and strings, and its API paths.
    public static var identity: ModuleResources {
        get throws { try ModuleResources(module: "GotongIdentity", bundle: .module) }
    }
}
