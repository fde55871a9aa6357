import Foundation
import Leaf
import LeafKit
import Vapor

extension Application {
    /// Leaf over every module's page templates, searched lowest module first (a template may
    /// extend one of a lower module, such as Platform's `layout`), with the `t` tag for strings.
    public func configureViews(from modules: [ModuleResources]) throws {
        let sources = LeafSources()
        for module in modules {
            guard let views = module.views else { continue }
            let files = NIOLeafFiles(
                fileio: fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views, viewDirectory: views)
            try sources.register(source: module.module, using: files, searchable: true)
        }
        guard let first = modules.first?.views else {
            throw ConfigurationError(description: "the page templates are missing from the build (Resources/Views)")
        }
        leaf.configuration = LeafConfiguration(rootDirectory: first + "/")
        leaf.sources = sources
        leaf.tags["t"] = TranslateTag()
        self.views.use(.leaf)
    }
}
