import Fluent
import Foundation
import GotongLiveLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// `gotong live import|report`: a programme's platform figures in and its effectiveness out,
/// for operators and scripts. Problems are printed one per line, in Indonesian (`--lang en`
/// for English), with the row and column they are about, and the command fails.
struct LiveImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "tenant") var tenant: String?
        @Option(name: "programme") var programme: String?
        @Option(name: "episode", help: "the episode of an Instagram insights file") var episode: Int?
        @Option(name: "lang") var language: String?
        @Argument(name: "file") var file: String
    }
    var help: String { "Imports a programme's figures from a CSV file or a platform's JSON report" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let language = Language(rawValue: signature.language ?? "id") ?? .id
        let format: FiguresImport.Format
        switch URL(fileURLWithPath: signature.file).pathExtension.lowercased() {
        case "csv": format = .csv
        case "json": format = .json
        default: throw CommandFailure("the file must end in .csv or .json")
        }
        guard let body = FileManager.default.contents(atPath: signature.file) else {
            throw CommandFailure("cannot read \(signature.file)")
        }
        let scope = try await LiveCommandScope.tenant(signature.tenant, app: app)
        // A programme made for this import, taken away again when the file is refused.
        var made: LiveProgramme?
        do {
            let existed = try await Programmes.find(signature.programme ?? "", in: scope) != nil
            let programme = try await Programmes.findOrMake(
                signature.programme ?? "", in: scope, now: app.clock.now())
            made = existed ? nil : programme
            let summary = try await FiguresImport(programme: programme, db: app.db, now: app.clock.now())
                .run(body, format: format, episode: signature.episode)
            context.console.print(
                "episodes: \(summary.episodesCreated) created, \(summary.episodesUpdated) updated; figures: "
                    + "\(summary.figuresCreated) created, \(summary.figuresUpdated) updated, "
                    + "\(summary.figuresUnchanged) unchanged")
            if !summary.ignoredMetrics.isEmpty {
                context.console.print(
                    "not imported (no such figure): " + summary.ignoredMetrics.joined(separator: ", "))
            }
        } catch let error as InputError {
            for problem in error.problems {
                let place = [problem.row.map { "row \($0)" }, "column \(problem.field)"].compactMap { $0 }
                    .joined(separator: ", ")
                // To standard error, one line each, so a script keeps the report and the problems apart.
                context.console.report(
                    error: "\(place): \(app.localizer.text(problem.key, language, problem.args))", newLine: true)
            }
            if let made, try await Programmes.isEmpty(made, on: app.db) { try await made.delete(on: app.db) }
            throw CommandFailure("nothing was imported (\(error.problems.count) problems)")
        }
    }
}

struct LiveReportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "tenant") var tenant: String?
        @Option(name: "programme") var programme: String?
        @Option(name: "format") var format: String?
    }
    var help: String { "Prints a programme's effectiveness, one row per episode and platform (--format csv)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard (signature.format ?? "csv") == "csv" else { throw CommandFailure("the only format is csv") }
        let scope = try await LiveCommandScope.tenant(signature.tenant, app: app)
        guard let slug = signature.programme, let programme = try await Programmes.find(slug, in: scope) else {
            throw CommandFailure("no programme \"\(signature.programme ?? "")\" in this tenant")
        }
        let report = try await Effectiveness.load(programme, on: app.db)
        context.console.output(report.reportCSV.consoleText(), newLine: false)
    }
}

enum LiveCommandScope {
    static func tenant(_ slug: String?, app: Application) async throws -> TenantScope {
        guard let slug, let tenant = try await Tenant.find(slug: slug, on: app.db) else {
            throw CommandFailure("no tenant \"\(slug ?? "")\" (see: gotong tenant list)")
        }
        return TenantScope(tenantID: try tenant.requireID(), db: app.db)
    }
}
