import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A course's cover picture: checked like a logo, kept in the file store, served by the course page.
enum CourseCover {
    static let maxBytes = 1024 * 1024

    /// Each upload gets a key of its own and stored pictures are never overwritten: copies of a
    /// course (duplicates, template clones in every tenant) share the original's key, so
    /// replacing the original's picture must not change theirs.
    static func store(_ file: File, ext: String, for course: Course, req: Request) async throws {
        let version = UUID().uuidString.prefix(8).lowercased()
        let key = "courses/\(try course.requireID().uuidString)/cover-\(version).\(ext)"
        try await req.application.files.put(file.data, at: key)
        course.coverPath = key
        course.needsCurationAgain()
        try await course.save(on: req.database)
    }
}
