import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Puts jobs on the queue and runs the due ones. A job is enqueued on the database handle of
/// the caller's transaction, so it exists exactly when the change that caused it committed.
public enum JobQueue {
    /// At most this many tries, then the job is `failed` and waits for an administrator.
    static let maxAttempts = 8
    /// How long a worker holds a job it took: after that another worker may take it again.
    static let lease: TimeInterval = 5 * 60

    /// Adds a job to the transaction (or database) `db`.
    public static func enqueue<Payload: Encodable>(
        _ kind: String, _ payload: Payload, on db: any Database, at now: Date = Date()
    ) async throws {
        try await QueuedJob(kind: kind, payload: try encode(payload), at: now).create(on: db)
    }

    /// The same as a statement, for writers that send SQL text in their own transaction.
    package static func insert<Payload: Encodable>(
        _ kind: String, _ payloads: [Payload], at now: Date
    ) throws -> SQLQueryString? {
        guard !payloads.isEmpty else { return nil }
        var query: SQLQueryString =
            "INSERT INTO jobs (id, kind, payload, status, attempts, run_at, last_error, created_at, updated_at) VALUES "
        query += try payloads.map { payload in
            """
            (\(bind: UUID()), \(bind: kind), \(bind: try encode(payload)), 'pending', 0, \(bind: now), '', \
            \(bind: now), \(bind: now))
            """
                as SQLQueryString
        }.joined(separator: ", ")
        return query
    }

    static func encode<Payload: Encodable>(_ payload: Payload) throws -> String {
        String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
    }

    /// Waiting time before try `attempt + 1`: 30 s, 1 min, 2 min, … at most an hour.
    static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(3600, 30 * pow(2, Double(max(0, attempt - 1))))
    }

    /// Takes one due job (pending and due, or running with its lease run out), marking it
    /// running with a fresh lease. PostgreSQL skips rows other workers hold; SQLite has one
    /// writer at a time anyway.
    ///
    /// A plain read first says whether anything is due, so an idle worker writes nothing; the
    /// claim itself is a writing transaction, which on SQLite waits its turn at the write gate
    /// like every other writer.
    static func claim(on db: any Database, now: Date) async throws -> QueuedJob? {
        let due: SQLQueryString =
            "SELECT id FROM jobs WHERE status IN ('pending', 'running') AND run_at <= \(bind: now) LIMIT 1"
        guard try await db.sql.raw(due).first() != nil else { return nil }
        return try await db.lockingTransaction { tx in try await take(on: tx, now: now) }
    }

    private static func take(on db: any Database, now: Date) async throws -> QueuedJob? {
        let sql = db.sql
        let skipLocked: SQLQueryString = db.isSQLite ? "" : " FOR UPDATE SKIP LOCKED"
        let query: SQLQueryString = """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, run_at = \
            \(bind: now.addingTimeInterval(lease)), updated_at = \(bind: now) \
            WHERE id = (SELECT id FROM jobs WHERE status IN ('pending', 'running') AND run_at <= \(bind: now) ORDER \
            BY run_at LIMIT 1\(skipLocked)) \
            RETURNING id
            """
        guard let id = try await sql.raw(query).first(decodingColumn: "id", as: UUID.self) else { return nil }
        return try await QueuedJob.find(id, on: db)
    }

    static func finish(_ job: QueuedJob, error: (any Error)?, on db: any Database, now: Date) async throws {
        job.updatedAt = now
        if let error {
            job.lastError = String(String(describing: error).prefix(2000))
            if job.attempts >= maxAttempts {
                job.status = .failed
            } else {
                job.status = .pending
                job.runAt = now.addingTimeInterval(backoff(afterAttempt: job.attempts))
            }
        } else {
            job.status = .done
            job.lastError = ""
        }
        try await db.lockingTransaction { tx in try await job.save(on: tx) }
    }

    /// Runs due jobs one after another until none is due (or `limit` ran); returns how many ran.
    @discardableResult
    public static func runDue(
        _ app: Application, limit: Int = 100, until stopped: @Sendable () -> Bool = { false }
    ) async -> Int {
        var ran = 0
        while ran < limit, !stopped() {
            let now = app.clock.now()
            let job: QueuedJob
            do {
                guard let claimed = try await claim(on: app.db, now: now) else { break }
                job = claimed
            } catch {
                app.logger.error("jobs: could not take a job: \(String(describing: error))")
                break
            }
            ran += 1
            var failure: (any Error)?
            if let handler = app.jobs.handler(job.kind) {
                do { try await handler(Data(job.payload.utf8), app) } catch { failure = error }
            } else {
                failure = JobError.unknownKind(job.kind)
            }
            if let failure {
                app.logger.warning("jobs: \(job.kind) failed (try \(job.attempts)): \(String(describing: failure))")
            }
            do {
                try await finish(job, error: failure, on: app.db, now: app.clock.now())
            } catch {
                app.logger.error("jobs: could not record the end of \(job.kind): \(String(describing: error))")
            }
        }
        return ran
    }

    /// Runs each sweep until it finds nothing waiting, or for `budget` (a sweep's round is
    /// meant to be about a second's work), so that due jobs are not kept waiting behind a
    /// steady stream; returns how many items the sweeps took.
    @discardableResult
    public static func runSweeps(
        _ app: Application, budget: Duration = .seconds(2), until stopped: @Sendable () -> Bool = { false }
    ) async -> Int {
        var taken = 0
        let clock = ContinuousClock()
        for (name, sweep) in app.jobs.sweeps {
            let start = clock.now
            while !stopped(), clock.now - start < budget {
                do {
                    let took = try await sweep(app)
                    taken += took
                    if took == 0 { break }
                } catch {
                    app.logger.error("jobs: the sweep \(name) failed: \(String(describing: error))")
                    break
                }
            }
        }
        return taken
    }

    /// Done jobs are kept a week for the record, then removed.
    static func purge(on db: any Database, now: Date) async throws {
        try await QueuedJob.query(on: db).filter(\.$status == .done).filter(
            \.$updatedAt < now.addingTimeInterval(-7 * 86_400)
        ).delete()
    }
}

enum JobError: Error, CustomStringConvertible {
    case unknownKind(String)
    var description: String {
        switch self {
        case .unknownKind(let kind): "no handler for job kind \(kind)"
        }
    }
}

/// The handlers each module registers, by kind, and the worker's settings.
public final class JobHandlers: Sendable {
    public typealias Handler = @Sendable (Data, Application) async throws -> Void
    private let handlers = NIOLockedValueBox([String: Handler]())
    private let autoStart = NIOLockedValueBox(true)
    private let kicked = NIOLockedValueBox(false)
    private let sweepsByName = NIOLockedValueBox([(String, Sweep)]())

    /// Work kept in a module's own table rather than as a job a piece: a webhook's inbox, where
    /// a job row per delivery would double the writes of the busiest route. The worker runs each
    /// sweep every round (and at once when kicked); it takes a batch of what waits, returns how
    /// many it took (0: nothing waits), and must be safe to run in several processes at once.
    public typealias Sweep = @Sendable (Application) async throws -> Int

    /// Asks this process's worker to look for due jobs now rather than at its next round (after
    /// a commit that queued some).
    public func kick() { kicked.withLockedValue { $0 = true } }

    /// Whether a kick came since the last call.
    func takeKick() -> Bool {
        kicked.withLockedValue { value in
            let was = value; value = false; return was
        }
    }

    public func register<Payload: Decodable & Sendable>(
        _ kind: String, as type: Payload.Type,
        _ run: @escaping @Sendable (Payload, Application) async throws -> Void
    ) {
        handlers.withLockedValue {
            $0[kind] = { data, app in try await run(try JSONDecoder().decode(Payload.self, from: data), app) }
        }
    }

    func handler(_ kind: String) -> Handler? { handlers.withLockedValue { $0[kind] } }

    public func registerSweep(_ name: String, _ run: @escaping Sweep) {
        sweepsByName.withLockedValue { $0.append((name, run)) }
    }

    var sweeps: [(String, Sweep)] { sweepsByName.withLockedValue { $0 } }

    /// Whether the worker starts with the server (tests run jobs by hand).
    public var startsWorker: Bool {
        get { autoStart.withLockedValue { $0 } }
        set { autoStart.withLockedValue { $0 = newValue } }
    }
}

private struct JobHandlersKey: StorageKey { typealias Value = JobHandlers }

extension Application {
    public var jobs: JobHandlers {
        if let existing = storage[JobHandlersKey.self] { return existing }
        let made = JobHandlers()
        storage[JobHandlersKey.self] = made
        return made
    }
}

/// The worker of one server process: runs the sweeps and looks for due jobs every second, or at
/// once when kicked (a kick is a flag looked at every 50 ms), and runs them one at a time.
/// Several processes each run one; PostgreSQL's SKIP LOCKED keeps them off each other's jobs.
package final class JobWorker: LifecycleHandler, Sendable {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let stopping = NIOLockedValueBox(false)
    /// How long a stop waits for the job in hand before cancelling it: longer than a mail
    /// relay's answer may take (20 s).
    let stopGrace: Duration

    package init(stopGrace: Duration = .seconds(30)) {
        self.stopGrace = stopGrace
    }

    // The synchronous hook: both `boot()` (tests) and the async start of `serve` call it.
    package func didBoot(_ app: Application) throws {
        guard app.jobs.startsWorker else { return }
        let stopping = self.stopping
        task.withLockedValue {
            $0 = Task.detached {
                let stopped: @Sendable () -> Bool = { Task.isCancelled || stopping.withLockedValue { $0 } }
                var rounds = 0
                while !stopped() {
                    await JobQueue.runSweeps(app, until: stopped)
                    await JobQueue.runDue(app, until: stopped)
                    rounds += 1
                    if rounds % 3600 == 0 { try? await JobQueue.purge(on: app.db, now: app.clock.now()) }
                    for _ in 0..<20 where !stopped() && !app.jobs.takeKick() {
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                }
            }
        }
    }

    /// Takes no new job, lets the one in hand finish and its end be recorded (cancelling it
    /// made a mail already sent look unsent, to be sent again after the restart), and cancels
    /// one that has not finished after ``stopGrace``.
    package func shutdownAsync(_ app: Application) async {
        stopping.withLockedValue { $0 = true }
        guard let running = task.withLockedValue({ $0 }) else { return }
        let grace = stopGrace
        let watchdog = Task {
            try await Task.sleep(for: grace)
            running.cancel()
        }
        await running.value
        watchdog.cancel()
    }
}
