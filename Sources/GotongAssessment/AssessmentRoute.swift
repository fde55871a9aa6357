import Foundation
import GotongCatalog
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// Every page of Assessment, as a value: the tenant's question bank at its desk
/// (`/t/{tenantSlug}/kelola/bank-soal`).
public enum AssessmentRoute: SiteRoute {
    case bank(Param<TenantSlug>)
    case addCategory(Param<TenantSlug>)
    /// Renaming and deleting one category.
    case renameCategory(Param<TenantSlug>, Param<QuestionCategoryID>)
    case deleteCategory(Param<TenantSlug>, Param<QuestionCategoryID>)
    case importQuestions(Param<TenantSlug>)
    case confirmImport(Param<TenantSlug>, Param<QuestionImportID>)
    case export(Param<TenantSlug>)
    case question(Param<TenantSlug>, Param<QuestionID>)
    /// Writing a question (`?kategori=…&jenis=multichoice`), changing one, deleting one.
    case newQuestion(Param<TenantSlug>)
    case editQuestion(Param<TenantSlug>, Param<QuestionID>)
    case deleteQuestion(Param<TenantSlug>, Param<QuestionID>)
    /// A course's grades for its staff, and as CSV.
    case gradebook(Param<TenantSlug>, Param<CourseID>)
    case gradebookCSV(Param<TenantSlug>, Param<CourseID>)
    /// A learner's own grades in a course.
    case myGrades(Param<TenantSlug>, Param<CourseSlug>)

    public var segments: [PathSegment] {
        switch self {
        case .bank(let t): TenantDesk.tenant(t).segments + ["bank-soal"]
        case .addCategory(let t): Self.bank(t).segments + ["kategori"]
        case .renameCategory(let t, let c): Self.addCategory(t).segments + [.param(c), "ubah-nama"]
        case .deleteCategory(let t, let c): Self.addCategory(t).segments + [.param(c), "hapus"]
        case .importQuestions(let t): Self.bank(t).segments + ["impor"]
        case .confirmImport(let t, let i): Self.importQuestions(t).segments + [.param(i)]
        case .export(let t): Self.bank(t).segments + ["ekspor"]
        case .question(let t, let q): Self.bank(t).segments + ["soal", .param(q)]
        case .newQuestion(let t): Self.bank(t).segments + ["soal-baru"]
        case .editQuestion(let t, let q): Self.question(t, q).segments + ["ubah"]
        case .deleteQuestion(let t, let q): Self.question(t, q).segments + ["hapus"]
        case .gradebook(let t, let c): CatalogRoute.managedCourse(.tenant(t), c).segments + ["nilai"]
        case .gradebookCSV(let t, let c): Self.gradebook(t, c).segments + ["csv"]
        case .myGrades(let t, let c): CatalogRoute.learn(t, c).segments + ["nilai"]
        }
    }
}

/// Assessment's part of the JSON API under `/api/v1`.
public enum AssessmentAPIRoute: SiteRoute {
    case categories(Param<TenantSlug>)
    case category(Param<TenantSlug>, Param<QuestionCategoryID>)
    case questions(Param<TenantSlug>)
    case question(Param<TenantSlug>, Param<QuestionID>)
    case importQuestions(Param<TenantSlug>)
    case export(Param<TenantSlug>)
    /// Saving one answer with an attempt's ticket (no session or token).
    case answers

    public var segments: [PathSegment] {
        switch self {
        case .answers: ["api", "v1", "quiz-answers"]
        case .categories(let t): TenancyRoute.api(t).segments + ["question-bank", "categories"]
        case .category(let t, let c): Self.categories(t).segments + [.param(c)]
        case .questions(let t): TenancyRoute.api(t).segments + ["question-bank", "questions"]
        case .question(let t, let q): Self.questions(t).segments + [.param(q)]
        case .importQuestions(let t): TenancyRoute.api(t).segments + ["question-bank", "import"]
        case .export(let t): TenancyRoute.api(t).segments + ["question-bank", "export"]
        }
    }
}

extension OpenActivity {
    /// The route's activity when it is of type `key` (404 otherwise) and the caller may use it
    /// now (423 while its release rule keeps it closed): how the quiz's and the assignment's own
    /// routes open their activity, on the web (`web`) or in the API.
    static func usable(_ key: String, _ req: Request, web: Bool) async throws -> OpenActivity {
        let open = web ? try await OpenActivity.web(req) : try await OpenActivity.api(req)
        guard open.activity.type == key else { throw Abort(.notFound) }
        guard open.isUsable else { throw Abort(.locked) }
        return open
    }
}
