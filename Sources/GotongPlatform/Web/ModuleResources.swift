import Foundation
import Vapor

/// One module's resources, in its own `Resources/` folder: its strings (`i18n/{id,en}.json`) and
/// its part of the API description (`openapi.json`: the paths it serves and the schemas they
/// use). The app lists every module's, lowest first; Platform joins them into one catalogue and
/// one API description. (Pages are Swift views, see docs/rendering.md: there are no templates.)
public struct ModuleResources: Sendable {
    public let module: String
    /// The `Resources` folder on disk.
    public let folder: String

    public init(module: String, bundle: Bundle) throws {
        guard let url = bundle.url(forResource: "Resources", withExtension: nil) else {
            throw ConfigurationError(description: "the resources of \(module) are missing from the build")
        }
        self.module = module
        self.folder = url.path
    }

    /// Platform's own: the shared strings and the API description's frame.
    public static var platform: ModuleResources {
        get throws { try ModuleResources(module: "GotongPlatform", bundle: .module) }
    }

    /// The module's strings in `language`; none when it has no catalogue.
    public func strings(_ language: Language) throws -> [String: String] {
        let path = folder + "/i18n/\(language.rawValue).json"
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        return try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The module's part of the API description, when it serves any of the API.
    public func openAPIFragment() throws -> [String: Any]? {
        let path = folder + "/openapi.json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
    }
}

/// The JSON API's description: Platform's document (information, security, shared parts) with
/// every module's paths and schemas added. A path or schema named by two modules is a build
/// mistake, reported at start.
public enum OpenAPIDocument {
    public static func joined(_ modules: [ModuleResources]) throws -> Data {
        guard var document = try modules.first?.openAPIFragment() else {
            throw ConfigurationError(description: "the API description (openapi.json) is missing from the build")
        }
        var paths = document["paths"] as? [String: Any] ?? [:]
        var components = document["components"] as? [String: Any] ?? [:]
        var schemas = components["schemas"] as? [String: Any] ?? [:]
        for module in modules.dropFirst() {
            guard let fragment = try module.openAPIFragment() else { continue }
            try add(fragment["paths"] as? [String: Any] ?? [:], to: &paths, what: "path", module: module)
            let theirs = (fragment["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
            try add(theirs, to: &schemas, what: "schema", module: module)
        }
        components["schemas"] = schemas
        document["paths"] = paths
        document["components"] = components
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func add(
        _ entries: [String: Any], to all: inout [String: Any], what: String, module: ModuleResources
    ) throws {
        for (name, value) in entries {
            guard all[name] == nil else {
                throw ConfigurationError(
                    description: "the API \(what) \(name) is described twice (again by \(module.module))")
            }
            all[name] = value
        }
    }
}

extension Application {
    private struct OpenAPIKey: StorageKey { typealias Value = Data }

    /// The joined API description, served at `/api/v1/openapi.json`.
    public var openAPIDocument: Data {
        get { storage[OpenAPIKey.self] ?? Data() }
        set { storage[OpenAPIKey.self] = newValue }
    }
}
