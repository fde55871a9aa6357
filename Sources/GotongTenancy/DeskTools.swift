import Foundation
import GotongPlatform
import Vapor

/// A page another module adds to a desk's front page (Catalog: its courses; Identity: members,
/// imports, the audit log). Tenancy cannot name those pages; each module registers its own, so a
/// new module adds its page to the desk without editing Tenancy.
public struct DeskTool: Sendable {
    /// Where the link stands among the desk's (lower first), whatever order modules start in.
    public let position: Int
    /// The link's text (a catalogue key) and address at a desk; nil where the desk has no such
    /// page (the master template has courses but no members).
    public let link: @Sendable (TenantDesk) -> (label: String, path: String)?

    public init(position: Int, link: @escaping @Sendable (TenantDesk) -> (label: String, path: String)?) {
        self.position = position
        self.link = link
    }
}

/// The desk tools modules registered, in their positions.
public final class DeskTools: @unchecked Sendable {
    private let lock = NSLock()
    private var tools: [DeskTool] = []

    public func register(_ tool: DeskTool) {
        lock.withLock {
            tools.append(tool)
            tools.sort { $0.position < $1.position }
        }
    }

    /// The links of `desk`, in order.
    public func links(at desk: TenantDesk) -> [(label: String, path: String)] {
        lock.withLock { tools }.compactMap { $0.link(desk) }
    }
}

extension Application {
    private struct DeskToolsKey: StorageKey { typealias Value = DeskTools }

    public var deskTools: DeskTools {
        if let tools = storage[DeskToolsKey.self] { return tools }
        let tools = DeskTools()
        storage[DeskToolsKey.self] = tools
        return tools
    }
}
