import Foundation
import Testing
@testable import GotongLearning

/// What the registry accepts: a plug-in's key travels in progress tickets (dot-separated), in
/// addresses and in CSV, and must not replace a type already there.
@Suite("Activity type registration")
struct TypeRegistrationTests {
    struct Renamed: ActivityType {
        var base = PollType()
        let key: String
        var features: Set<ActivityFeature> { base.features }
        var fields: [SettingField] { base.fields }
        var completionOptions: [CompletionOption] { base.completionOptions }
        var defaultCompletion: CompletionRule { base.defaultCompletion }
        func render(_ context: ActivityViewContext) async throws -> ActivityBody { try await base.render(context) }
    }

    @Test(arguments: ["poll.v2", "Poll", "jajak pendapat", "", String(repeating: "a", count: 41), "polling/1"])
    func aKeyThatCouldBreakATicketOrAnAddressIsRefused(key: String) {
        let registry = ActivityTypeRegistry()
        #expect(throws: ActivityTypeRegistry.RegistrationError.self) { try registry.register(Renamed(key: key)) }
        #expect(registry.all.isEmpty)
    }

    @Test func aTakenKeyIsRefusedAndTheFirstTypeStays() throws {
        let registry = ActivityTypeRegistry()
        try registry.register(PageType())
        #expect(throws: ActivityTypeRegistry.RegistrationError.self) { try registry.register(Renamed(key: "page")) }
        #expect(registry["page"] is PageType)
        try registry.register(Renamed(key: "jajak_pendapat-2"))
        #expect(registry.all.map(\.key) == ["page", "jajak_pendapat-2"])
    }
}
