import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Evaluation in the JSON API: the caller's forms of a course they finished and their answers,
/// and a course's results for those who keep its evaluation.
package struct EvaluationAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(EvaluationAPIRoute.mine(.key), use: mine)
        routes.post(EvaluationAPIRoute.mine(.key), use: answer)
        routes.resolvingTenant().get(EvaluationAPIRoute.results(.key, .key), use: results)
    }

    struct Question: Content {
        var id: UUID
        var kind: String
        var prompt: String
        var choices: [String]
        var required: Bool
    }

    struct Sheet: Content {
        var form_id: UUID
        var title: String
        var purpose: String
        var trainer_id: UUID?
        var trainer_name: String?
        var done: Bool
        var questions: [Question]
    }

    struct Mine: Content {
        var course_id: UUID
        var required: Bool
        var forms: [Sheet]
    }

    /// The course (whatever tenant's) and its scope; another tenant's course is reached through
    /// its own tenant's scope, as the participant's enrolment is.
    private func course(_ req: Request) async throws -> (Course, TenantScope) {
        _ = try req.requirePerson()
        let id = try req.parameter(CourseID.self).rawValue
        guard let course = try await Course.find(id, on: req.database) else { throw Abort(.notFound) }
        return (course, TenantScope(tenantID: course.tenantID, db: req.database))
    }

    func mine(req: Request) async throws -> Mine {
        let (course, scope) = try await course(req)
        let person = try req.requirePerson().requireID()
        let levelOne = LevelOne(db: req.database)
        guard let setup = try await levelOne.setup(scope, course: try course.requireID()),
            setup.hasLevelOne || setup.hasFollowUp,
            try await levelOne.completion(scope, course: try course.requireID(), person: person) != nil
        else { throw LocalizedAbort(.forbidden, req.t("evaluation.error.not_finished")) }
        let sheets = try await levelOne.sheets(scope, setup: setup, person: person, now: req.application.clock.now())
        let items = Dictionary(
            grouping: try await scope.query(EvaluationItem.self).filter(\.$formID ~~ sheets.map { $0.form.id! })
                .sort(\.$position).all(), by: \.formID)
        return Mine(
            course_id: try course.requireID(), required: setup.required,
            forms: sheets.map { sheet in
                Sheet(
                    form_id: sheet.form.id!, title: sheet.form.title, purpose: sheet.form.purpose.rawValue,
                    trainer_id: sheet.trainer?.id, trainer_name: sheet.trainer?.name, done: sheet.done,
                    questions: (items[sheet.form.id!] ?? []).map {
                        Question(
                            id: $0.id!, kind: $0.kind.rawValue, prompt: $0.prompt, choices: $0.choices,
                            required: $0.required)
                    })
            })
    }

    /// An answer as JSON: a number, a list of numbers, or text.
    struct Value: Decodable {
        let value: AnswerSheet.Value

        init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if let number = try? single.decode(Int.self) {
                value = .number(number)
            } else if let numbers = try? single.decode([Int].self) {
                value = .numbers(numbers)
            } else {
                value = .text(try single.decode(String.self))
            }
        }
    }

    struct Answer: Decodable {
        var form_id: UUID
        var trainer_id: UUID?
        var answers: [String: Value]
    }

    struct Recorded: Content { var status: String }

    func answer(req: Request) async throws -> Response {
        let (course, scope) = try await course(req)
        let input = try req.content.decode(Answer.self)
        var values: [UUID: AnswerSheet.Value] = [:]
        for (key, answer) in input.answers {
            // An unknown key is not a question of the form: it is left out, as a form's extra field is.
            if let id = UUID(uuidString: key) { values[id] = answer.value }
        }
        let sheet = AnswerSheet(values: values)
        try await LevelOne.submit(
            req, in: scope, course: course, form: input.form_id, trainer: input.trainer_id, sheet: { _ in sheet })
        return try await Recorded(status: "recorded").encodeResponse(status: .created, for: req)
    }

    struct Results: Content {
        struct Question: Content {
            var id: UUID
            var prompt: String
            var kind: String
            var labels: [String]
            var counts: [Int]
            var average: Double?
            var comments: [String]?
        }

        struct Part: Content {
            var form_id: UUID
            var title: String
            var purpose: String
            var trainer_id: UUID?
            var trainer_name: String?
            var responses: Int
            var average: Double?
            var questions: [Question]
        }

        struct Run: Content {
            var year: Int
            var finished: Int
            var responses: Int
            var course_average: Double?
            var trainer_average: Double?
        }

        struct Learner: Content {
            var name: String
            var pre: Double?
            var post: Double?
            var gain: Double?
            var normalised_gain: Double?
        }

        struct LevelTwo: Content {
            var average_pre: Double?
            var average_post: Double?
            var class_gain: Double?
            var average_normalised_gain: Double?
            var participants: [Learner]
        }

        var year: Int
        var finished: Int
        var responded: Int
        var parts: [Part]
        var runs: [Run]
        var level2: LevelTwo?
    }

    func results(req: Request) async throws -> Results {
        try await req.requireTenantRole(FormDesk.keepers)
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let courseID = try course.requireID()
        let year =
            try req.queryNumber("year", in: ResultsPage.years) ?? LocalDates.year(of: req.application.clock.now())
        let one = try await LevelOneResults.load(scope, course: courseID, year: year)
        let two = try await LevelTwo.load(scope, course: course, year: year)
        return Results(
            year: year, finished: one.finished, responded: one.responded,
            parts: one.parts.map { part in
                Results.Part(
                    form_id: part.form.id!, title: part.form.title, purpose: part.form.purpose.rawValue,
                    trainer_id: part.trainer?.id, trainer_name: part.trainer?.name, responses: part.responses,
                    average: part.average,
                    questions: part.questions.map {
                        Results.Question(
                            id: $0.item.id!, prompt: $0.item.prompt, kind: $0.item.kind.rawValue,
                            labels: $0.item.kind.scale.map { (1...$0).map(String.init) } ?? $0.item.choices,
                            counts: $0.counts, average: $0.average, comments: $0.item.kind.isText ? $0.texts : nil)
                    })
            },
            runs: one.runs.map {
                Results.Run(
                    year: $0.year, finished: $0.finished, responses: $0.responses, course_average: $0.courseAverage,
                    trainer_average: $0.trainerAverage)
            },
            level2: two.map { two in
                Results.LevelTwo(
                    average_pre: two.averagePre, average_post: two.averagePost, class_gain: two.classGain,
                    average_normalised_gain: two.averageNormalisedGain,
                    participants: two.rows.map {
                        Results.Learner(
                            name: $0.name, pre: $0.pre, post: $0.post, gain: $0.gain, normalised_gain: $0.normalisedGain
                        )
                    })
            })
    }
}
