import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A page another module adds to a managed course, linked from the course's management page
/// (Learning adds the content editor and monitoring). Catalog does not know those pages; a
/// module registers its tool at start-up, so a new module adds its page without editing Catalog.
public struct CourseTool: Sendable {
    /// The link's text, a catalogue key.
    public let label: String
    /// Whether the link is the page's main action (a full button) or a secondary one.
    public let isPrimary: Bool
    /// The page's address for a course managed at a desk; nil where the course has no such page
    /// (monitoring needs learners, and a master template course has none).
    public let path: @Sendable (TenantDesk, Param<CourseID>) -> String?

    public init(
        label: String, isPrimary: Bool, path: @escaping @Sendable (TenantDesk, Param<CourseID>) -> String?
    ) {
        self.label = label
        self.isPrimary = isPrimary
        self.path = path
    }
}

/// The course tools modules registered, in registration order.
public final class CourseTools: @unchecked Sendable {
    private let lock = NSLock()
    private var tools: [CourseTool] = []

    public func register(_ tool: CourseTool) { lock.withLock { tools.append(tool) } }
    public var all: [CourseTool] { lock.withLock { tools } }
}

extension Application {
    private struct CourseToolsKey: StorageKey { typealias Value = CourseTools }

    public var courseTools: CourseTools {
        if let tools = storage[CourseToolsKey.self] { return tools }
        let tools = CourseTools()
        storage[CourseToolsKey.self] = tools
        return tools
    }
}
