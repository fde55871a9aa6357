import Vapor

/// Where the frame of every page links: pages of higher modules (the catalogue, sign-in, a
/// tenant's storefront), which Platform cannot name. The app fills them in at start-up from
/// those modules' route values, so the frame builds no address by hand.
public struct FrameLinks: Sendable {
    public var catalogue: String
    public var myCourses: String
    public var notifications: String
    public var profile: String
    public var platformAdmin: String
    public var curation: String
    public var signIn: String
    public var signOut: String
    public var register: String
    /// The language switch to a language (`en`), before its `?next=` query.
    public var language: @Sendable (Language) -> String
    /// A tenant's storefront, by slug.
    public var storefront: @Sendable (String) -> String
    /// A tenant's administration desk, by slug.
    public var desk: @Sendable (String) -> String
    /// A tenant's course management, by slug.
    public var courses: @Sendable (String) -> String
    /// The person's JP ledger (`/saya` links its year's figure there), when a module keeps one.
    public var ledger: String? = nil
    /// The person's certificates (`/saya` links them beside the ledger), when a module issues them.
    public var certificates: String? = nil

    public init(
        catalogue: String, myCourses: String, notifications: String, profile: String, platformAdmin: String,
        curation: String, signIn: String, signOut: String, register: String,
        language: @escaping @Sendable (Language) -> String, storefront: @escaping @Sendable (String) -> String,
        desk: @escaping @Sendable (String) -> String, courses: @escaping @Sendable (String) -> String
    ) {
        (self.catalogue, self.myCourses, self.notifications, self.profile) = (
            catalogue, myCourses, notifications, profile
        )
        (self.platformAdmin, self.curation) = (platformAdmin, curation)
        (self.signIn, self.signOut, self.register) = (signIn, signOut, register)
        (self.language, self.storefront, self.desk, self.courses) = (language, storefront, desk, courses)
    }
}

extension Application {
    private struct FrameLinksKey: StorageKey { typealias Value = FrameLinks }

    public var frameLinks: FrameLinks {
        get {
            guard let links = storage[FrameLinksKey.self] else {
                fatalError("app.frameLinks was not set in configure")
            }
            return links
        }
        set {
            storage[FrameLinksKey.self] = newValue
            storage[FrameCacheKey.self] = FrameCache()
        }
    }
}
