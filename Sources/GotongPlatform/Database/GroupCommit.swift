import Foundation

/// Writes that arrive while the previous batch is being written wait and are written together,
/// by one call of `write`, in arrival order: the shape of Learning's heartbeat writer, for any
/// small write that many people make at the same moment (answers of a national post-test).
/// A batch is one transaction, so the database's cost per write falls as the load grows, and
/// on SQLite one writer at a time is what the file allows anyway.
///
/// `write` gets the batch and returns one outcome per item, in order; when it throws, every
/// item of the batch gets the error.
public actor GroupCommit<Item: Sendable, Outcome: Sendable> {
    public typealias Writer = @Sendable ([Item]) async throws -> [Outcome]

    private let write: Writer
    private let maxBatch: Int
    private let executor: (any TaskExecutor)?
    private var waiting: [(Item, CheckedContinuation<Outcome, any Error>)] = []
    private var writing = false

    /// `maxBatch`: larger batches wait for the next round (the databases' limits on binds).
    /// `executor`: where batches are written (a ``DedicatedDatabase``'s loop), if not anywhere.
    public init(maxBatch: Int, executor: (any TaskExecutor)? = nil, write: @escaping Writer) {
        self.maxBatch = max(1, maxBatch)
        self.executor = executor
        self.write = write
    }

    /// Waits until `item` is written with its batch and returns its outcome.
    public func submit(_ item: Item) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((item, continuation))
            startWriter()
        }
    }

    private func startWriter() {
        guard !writing, !waiting.isEmpty else { return }
        let batch = Array(waiting.prefix(maxBatch))
        waiting.removeFirst(batch.count)
        writing = true
        // A task inherits its starter's task-locals: a batch started by a caller inside a
        // writing transaction must not join it (nor wait for the turn that caller holds).
        Task(executorPreference: executor) { await WriteTurn.$connection.withValue(nil) { await self.run(batch) } }
    }

    private func run(_ batch: [(Item, CheckedContinuation<Outcome, any Error>)]) async {
        do {
            let outcomes = try await write(batch.map(\.0))
            guard outcomes.count == batch.count else {
                throw CountMismatch(items: batch.count, outcomes: outcomes.count)
            }
            for (item, outcome) in zip(batch, outcomes) { item.1.resume(returning: outcome) }
        } catch {
            for item in batch { item.1.resume(throwing: error) }
        }
        writing = false
        startWriter()
    }

    /// A writer that did not return one outcome per item: a bug, reported to every caller.
    struct CountMismatch: Error, CustomStringConvertible {
        let items: Int
        let outcomes: Int
        var description: String { "group commit: \(items) items but \(outcomes) outcomes" }
    }
}
