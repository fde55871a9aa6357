import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// Writes imported figures into a programme, all or nothing: episodes that do not exist yet
/// are made from their rows (each with its course), episodes whose rows tell a new topic,
/// speakers or day are updated, and figures are laid over what was there (a figure a file
/// leaves empty keeps its value). Importing the same file twice changes nothing the second time.
public struct FiguresImport: Sendable {
    public enum Format: String, Sendable { case csv, json }

    /// What an import did, as the CLI prints it and the API returns it.
    public struct Summary: Codable, Sendable, Equatable {
        public var episodesCreated = 0
        public var episodesUpdated = 0
        public var figuresCreated = 0
        public var figuresUpdated = 0
        public var figuresUnchanged = 0
        /// Metrics of a platform's report that have no figure here.
        public var ignoredMetrics: [String] = []

        enum CodingKeys: String, CodingKey {
            case episodesCreated = "episodes_created", episodesUpdated = "episodes_updated"
            case figuresCreated = "figures_created", figuresUpdated = "figures_updated"
            case figuresUnchanged = "figures_unchanged", ignoredMetrics = "ignored_metrics"
        }
    }

    let programme: LiveProgramme
    let db: any Database
    let now: Date

    public init(programme: LiveProgramme, db: any Database, now: Date) {
        self.programme = programme
        self.db = db
        self.now = now
    }

    /// Reads the file and writes it. `episode` names the episode of a platform report that
    /// does not name its own (Instagram's insights, a YouTube report without videos).
    public func run(_ body: Data, format: Format, episode: Int? = nil) async throws -> Summary {
        switch format {
        case .csv:
            guard let text = String(data: body, encoding: .utf8) else {
                throw InputError(field: "file", key: "import.error.encoding")
            }
            return try await write(try FiguresCSV.read(text), ignored: [])
        case .json:
            let report = try PlatformReports.read(body)
            return try await write(try await lines(of: report, episode: episode), ignored: report.ignoredMetrics)
        }
    }

    /// A platform report's counts as lines: the named episode, or each video's episode.
    private func lines(of report: PlatformReports.Read, episode: Int?) async throws -> [FigureLine] {
        var problems = ProblemList()
        var lines: [FigureLine] = []
        let episodes = try await scope.query(LiveEpisode.self).filter(\.$programmeID == programme.requireID()).all()
        for (video, counts) in report.counts.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
            let number: Int?
            if let video {
                let linked = episodes.filter { $0.links[.youtube].flatMap(YouTubeVideo.id(in:)) == video }
                number = linked.count == 1 ? linked[0].number : nil
                if linked.isEmpty { problems.add("video", "live.import.error.video_unknown", ["value": video]) }
                if linked.count > 1 { problems.add("video", "live.import.error.video_twice", ["value": video]) }
            } else {
                number = episode
                if episode == nil { problems.add("episode", "live.import.error.episode_needed") }
            }
            guard let number else { continue }
            if !episodes.contains(where: { $0.number == number }) {
                problems.add("episode", "live.import.error.no_episode", ["value": "\(number)"])
                continue
            }
            lines.append(FigureLine(row: nil, episode: number, platform: report.platform, counts: counts))
        }
        try problems.throwIfAny()
        return lines
    }

    private var scope: TenantScope { TenantScope(tenantID: programme.tenantID, db: db) }

    private func write(_ lines: [FigureLine], ignored: [String]) async throws -> Summary {
        let (programme, now) = (self.programme, self.now)
        return try await db.lockingTransaction { tx in
            var summary = Summary(ignoredMetrics: ignored)
            let scope = TenantScope(tenantID: programme.tenantID, db: tx)
            var byNumber = Dictionary(
                try await scope.query(LiveEpisode.self).filter(\.$programmeID == programme.requireID()).all()
                    .map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
            var problems = ProblemList()
            for line in Self.firstLines(lines) {
                if let episode = byNumber[line.episode] {
                    if try await Self.update(episode, from: line, in: programme, on: tx, now: now) {
                        summary.episodesUpdated += 1
                    }
                } else if let topic = line.topic, let day = line.day,
                    let start = Programmes.start(on: day, in: programme)
                {
                    let speakers = (line.speakers ?? []).map { LiveEpisode.Speaker(name: $0) }
                    byNumber[line.episode] = try await Episodes.make(
                        number: line.episode, topic: topic, speakers: speakers, startsAt: start, in: programme,
                        on: tx, now: now)
                    summary.episodesCreated += 1
                } else {
                    problems.add("topic", "live.import.error.topic_needed", row: line.row)
                }
            }
            try problems.throwIfAny()
            let ids = byNumber.values.compactMap(\.id)
            var stored = Dictionary(
                try await scope.query(EpisodeFigures.self).filter(\.$episodeID ~~ ids).all()
                    .map { ("\($0.episodeID)/\($0.platform.rawValue)", $0) }, uniquingKeysWith: { a, _ in a })
            for line in lines {
                guard let episodeID = byNumber[line.episode]?.id else { continue }
                let key = "\(episodeID)/\(line.platform.rawValue)"
                if let figures = stored[key] {
                    let merged = figures.counts.merged(with: line.counts)
                    guard merged != figures.counts else {
                        summary.figuresUnchanged += 1
                        continue
                    }
                    figures.counts = merged
                    figures.updatedAt = now
                    try await figures.save(on: tx)
                    summary.figuresUpdated += 1
                } else {
                    let figures = EpisodeFigures()
                    figures.tenantID = programme.tenantID
                    figures.episodeID = episodeID
                    figures.platform = line.platform
                    figures.counts = line.counts
                    figures.updatedAt = now
                    try await figures.create(on: tx)
                    stored[key] = figures
                    summary.figuresCreated += 1
                }
            }
            return summary
        }
    }

    /// The first line of each episode: the one that tells its topic, speakers and day.
    private static func firstLines(_ lines: [FigureLine]) -> [FigureLine] {
        var seen = Set<Int>()
        return lines.filter { seen.insert($0.episode).inserted }
    }

    /// Takes a row's topic, speakers and day into an episode; true when any changed.
    private static func update(
        _ episode: LiveEpisode, from line: FigureLine, in programme: LiveProgramme, on db: any Database, now: Date
    ) async throws -> Bool {
        var changed = false
        if let topic = line.topic, topic != episode.topic {
            episode.topic = topic
            changed = true
        }
        if let names = line.speakers, names != episode.speakers.map(\.name) {
            // A speaker named as before keeps the position and institution entered for them.
            let known = Dictionary(episode.speakers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            episode.speakers = names.map { known[$0] ?? LiveEpisode.Speaker(name: $0) }
            changed = true
        }
        if let day = line.day, LocalDates.isoDay.string(from: episode.startsAt) != day,
            let midnight = LocalDates.startOfDay(day)
        {
            // The new day at the episode's own time of day.
            let old = LocalDates.startOfDay(LocalDates.isoDay.string(from: episode.startsAt)) ?? episode.startsAt
            episode.startsAt = midnight.addingTimeInterval(episode.startsAt.timeIntervalSince(old))
            changed = true
        }
        if changed { try await Episodes.save(episode, in: programme, on: db, now: now) }
        return changed
    }
}
