import Foundation
import Vapor

/// The signed-in person as every module sees them: who, and whether they run the platform.
/// Identity signs people in and says who the viewer is (``ViewerSource``); the modules below it
/// (Platform, Tenancy) read this instead of Identity's `Person`.
public struct Viewer: Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let email: String
    public let isPlatformAdmin: Bool
    /// Messages they have not read, for the menu ("Notifikasi 3").
    public let unreadNotifications: Int

    public init(id: UUID, name: String, email: String, isPlatformAdmin: Bool, unreadNotifications: Int = 0) {
        self.unreadNotifications = unreadNotifications
        self.id = id
        self.name = name
        self.email = email
        self.isPlatformAdmin = isPlatformAdmin
    }
}

/// Says who signed in on a request; registered by Identity. Without one nobody is signed in.
public typealias ViewerSource = @Sendable (Request) -> Viewer?

extension Application {
    private struct ViewerSourceKey: StorageKey { typealias Value = ViewerSource }

    public var viewerSource: ViewerSource {
        get { storage[ViewerSourceKey.self] ?? { _ in nil } }
        set { storage[ViewerSourceKey.self] = newValue }
    }
}

extension Request {
    /// The signed-in person, if any (by session cookie or bearer token).
    public var viewer: Viewer? { application.viewerSource(self) }

    /// The signed-in person, or 401: web pages turn that into a redirect to the sign-in page.
    public func requireViewer() throws -> Viewer {
        guard let viewer else { throw Abort(.unauthorized) }
        return viewer
    }

    /// The signed-in platform administrator, or 401 / 403.
    @discardableResult
    public func requirePlatformAdmin() throws -> Viewer {
        let viewer = try requireViewer()
        guard viewer.isPlatformAdmin else { throw Abort(.forbidden) }
        return viewer
    }
}

/// Lets only platform administrators through.
public struct PlatformAdminMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try req.requirePlatformAdmin()
        return try await next.respond(to: req)
    }
}
