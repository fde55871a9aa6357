import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// The web addresses of training evaluation; notifications keep them (``StorableRoute``).
public enum EvaluationRoute: StorableRoute {
    public static let storageName = "evaluation"

    /// The participant's evaluation of a course they finished: the next form to fill in.
    case participant(Param<TenantSlug>, Param<CourseID>)
    /// A tenant's evaluation forms, and one form's questions (the builder).
    case forms(Param<TenantSlug>)
    case form(Param<TenantSlug>, Param<EvaluationFormID>)
    case copyForm(Param<TenantSlug>, Param<EvaluationFormID>)
    case addItem(Param<TenantSlug>, Param<EvaluationFormID>)
    case removeItem(Param<TenantSlug>, Param<EvaluationFormID>, Param<EvaluationItemID>)
    case moveItem(Param<TenantSlug>, Param<EvaluationFormID>, Param<EvaluationItemID>, Param<ItemMove>)
    /// How a course is evaluated (GET: the form; POST: saves it), and its results.
    case course(Param<TenantSlug>, Param<CourseID>)
    case results(Param<TenantSlug>, Param<CourseID>)
    /// The participant names their supervisor (atasan) for the course's follow-up.
    case supervisorName(Param<TenantSlug>, Param<CourseID>)
    /// A course's follow-ups at the desk: who is due, their supervisors (set here too), answers.
    case followUps(Param<TenantSlug>, Param<CourseID>)
    /// A coordinator sends a participant's follow-up now rather than at its due date.
    case sendFollowUp(Param<TenantSlug>, Param<CourseID>)
    /// The supervisor's form, through the mailed link (no account).
    case supervisor(Param<MailedSecret>)

    public var segments: [PathSegment] {
        switch self {
        case .participant(let t, let c): TenancyRoute.pages(t).segments + ["evaluasi", .param(c)]
        case .forms(let t): TenantDesk.tenant(t).segments + ["evaluasi"]
        case .form(let t, let f): Self.forms(t).segments + ["formulir", .param(f)]
        case .copyForm(let t, let f): Self.form(t, f).segments + ["salin"]
        case .addItem(let t, let f): Self.form(t, f).segments + ["pertanyaan"]
        case .removeItem(let t, let f, let i): Self.addItem(t, f).segments + [.param(i), "hapus"]
        case .moveItem(let t, let f, let i, let m): Self.addItem(t, f).segments + [.param(i), .param(m)]
        case .course(let t, let c): Self.forms(t).segments + ["pelatihan", .param(c)]
        case .results(let t, let c): Self.course(t, c).segments + ["hasil"]
        case .supervisorName(let t, let c): Self.participant(t, c).segments + ["atasan"]
        case .followUps(let t, let c): Self.course(t, c).segments + ["tindak-lanjut"]
        case .sendFollowUp(let t, let c): Self.followUps(t, c).segments + ["kirim"]
        case .supervisor(let token): ["evaluasi-atasan", .param(token)]
        }
    }
}

/// Moving a question up or down its form.
public enum ItemMove: String, PathAction { case up = "naik", down = "turun" }

/// The JSON API's addresses of training evaluation.
public enum EvaluationAPIRoute: SiteRoute {
    /// The caller's forms of a finished course (GET), and one filled in (POST).
    case mine(Param<CourseID>)
    /// A course's evaluation results: levels 1 and 2 (`?year=`).
    case results(Param<TenantSlug>, Param<CourseID>)

    public var segments: [PathSegment] {
        switch self {
        case .mine(let c): ["api", "v1", "me", "courses", .param(c), "evaluation"]
        case .results(let t, let c): TenancyRoute.api(t).segments + ["courses", .param(c), "evaluation-results"]
        }
    }
}
