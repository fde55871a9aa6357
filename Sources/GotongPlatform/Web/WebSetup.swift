import Foundation
import Leaf
import LeafKit
import Vapor

/// Where Platform's resources are on disk.
public enum GotongResources {
    /// The folder of Leaf page templates.
    public static var views: String? {
        Bundle.module.url(forResource: "Views", withExtension: nil, subdirectory: "Resources")?.path
    }
}

extension Application {
    /// Leaf over the bundled page templates, with the `t` tag for catalogue strings.
    public func configureViews() throws {
        guard let views = GotongResources.views else {
            throw ConfigurationError(description: "the page templates are missing from the build (Resources/Views)")
        }
        leaf.configuration = LeafConfiguration(rootDirectory: views + "/")
        leaf.sources = .singleSource(
            NIOLeafFiles(
                fileio: fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views, viewDirectory: views
            ))
        leaf.tags["t"] = TranslateTag()
        self.views.use(.leaf)
    }
}
