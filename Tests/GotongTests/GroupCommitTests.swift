import Foundation
import Synchronization
import Testing
@testable import GotongPlatform

/// Writes that arrive together are written together, each caller gets its own outcome, and a
/// failed batch fails every caller in it and no other.
@Suite("Group commit")
struct GroupCommitTests {
    @Test func concurrentSubmissionsShareBatchesAndKeepTheirOutcomes() async throws {
        let batches = Mutex<[Int]>([])
        let commit = GroupCommit<Int, Int>(maxBatch: 50) { items in
            batches.withLock { $0.append(items.count) }
            try await Task.sleep(for: .milliseconds(5))
            return items.map { $0 * 2 }
        }
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for i in 0..<200 { group.addTask { (i, try await commit.submit(i)) } }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.value == $0.key * 2 })
        let sizes = batches.withLock { $0 }
        #expect(sizes.reduce(0, +) == 200)
        #expect(sizes.max() ?? 0 <= 50)
        // While one batch was written the others waited and went together: far fewer batches than writes.
        #expect(sizes.count < 50, "\(sizes)")
    }

    struct Refused: Error {}

    @Test func aFailedBatchFailsItsCallersOnly() async throws {
        let commit = GroupCommit<Int, Int>(maxBatch: 1) { items in
            if items == [13] { throw Refused() }
            return items
        }
        await #expect(throws: Refused.self) { try await commit.submit(13) }
        #expect(try await commit.submit(7) == 7)
    }
}
