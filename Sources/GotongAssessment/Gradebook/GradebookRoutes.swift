import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// A course's gradebook: for its staff the table of every participant's grades, the pre-test
/// to post-test gain and the CSV; for a learner their own grades.
package struct GradebookRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(AssessmentRoute.gradebook(.key, .key), use: staffPage)
        tenant.get(AssessmentRoute.gradebookCSV(.key, .key), use: csv)
        tenant.get(AssessmentRoute.myGrades(.key, .key), use: learnerPage)
    }

    /// The course, for the tenant's administrators and coordinators and its own staff.
    static func staffCourse(_ req: Request) async throws -> Course {
        let course = try await req.tenantScope.require(Course.self, req.parameter(CourseID.self).rawValue)
        let person = try req.requirePerson()
        if try await req.tenantRoles().hasAny([.admin, .pengelola]) { return course }
        guard try await CourseMembers(course: course, on: req.database).teaches(person.typedID()) else {
            throw Abort(.forbidden)
        }
        return course
    }

    func staffPage(req: Request) async throws -> Response {
        let course = try await Self.staffCourse(req)
        let tenant = try req.tenant
        let book = try await Gradebook.load(course: course, db: req.database)
        let model = GradebookModel(
            courseTitle: course.title,
            courseURL: CatalogRoute.managedCourse(.tenant(tenant.routeSlug), course.routeID).path,
            csvURL: AssessmentRoute.gradebookCSV(tenant.routeSlug, course.routeID).path, book: book)
        return try await req.render(model, title: "grades.title", titleArgs: ["title": course.title], tenant: tenant)
    }

    func csv(req: Request) async throws -> Response {
        let course = try await Self.staffCourse(req)
        let book = try await Gradebook.load(course: course, db: req.database)
        var header = [req.t("grades.name"), req.t("grades.email"), req.t("grades.unit")] + book.items.map(\.title)
        header += [req.t("grades.average")]
        if book.pretest != nil, book.posttest != nil { header += [req.t("grades.gain"), req.t("grades.normalised")] }
        var lines = [header]
        for row in book.rows {
            var cells = [row.name, row.email, row.unit] + row.grades.map { $0.map(Self.number) ?? "" }
            cells.append(row.average(of: book.items.count).map(Self.number) ?? "")
            if book.pretest != nil, book.posttest != nil {
                let gain = book.gain(row)
                cells += [gain.map { Self.number($0.gain) } ?? "", gain?.normalised.map(Self.number) ?? ""]
            }
            lines.append(cells)
        }
        let response = Response(status: .ok, body: .init(string: CSVText.document(lines)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.setAttachment(filename: "nilai-\(course.slug).csv")
        return response
    }

    /// Numbers in a CSV as a spreadsheet reads them: a point, at most two decimals.
    static func number(_ value: Double) -> String { String(format: "%.2f", value) }

    func learnerPage(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let slug = try req.parameter(CourseSlug.self).rawValue
        guard let course = try await req.tenantScope.query(Course.self).filter(\.$slug == slug).first() else {
            throw Abort(.notFound)
        }
        let person = try req.requirePerson().requireID()
        let book = try await Gradebook.load(course: course, db: req.database, only: person)
        guard let row = book.rows.first else { throw Abort(.notFound) }
        let model = MyGradesModel(
            courseTitle: course.title, outlineURL: CatalogRoute.learn(tenant.routeSlug, course.routeSlug).path,
            items: book.items.indices.map { index in
                let item = book.items[index]
                return .init(
                    title: item.title, grade: row.grades[index], passPercent: item.passPercent,
                    url: LearningRoute.activity(tenant.routeSlug, course.routeSlug, .value(ActivityID(item.id))).path,
                    feedback: row.feedback.indices.contains(index) ? row.feedback[index] : nil)
            }, waiting: row.waiting, gain: book.gain(row).map { ($0.pre, $0.post, $0.gain) })
        return try await req.render(model, title: "grades.mine", titleArgs: ["title": course.title], tenant: tenant)
    }
}
