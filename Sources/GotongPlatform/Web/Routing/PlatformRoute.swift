import Foundation
import Tagged
import Vapor

extension QueuedJob: PathTag { public static let parameterName = "jobID" }
/// A background job's id.
public typealias JobID = Tagged<QueuedJob, UUID>

extension Language: PathValue {
    public static let parameterName = "lang"
    public init?(pathSegment: String) { self.init(rawValue: pathSegment) }
    public var pathSegment: String { rawValue }
}

/// The platform's own addresses: its assets, the health check, the API's description and the
/// jobs page (served under the platform administration Tenancy guards).
public enum PlatformRoute: SiteRoute {
    case health
    case openAPI
    case stylesheet
    case script
    case jobs
    case retryJob(Param<JobID>)

    public var segments: [PathSegment] {
        switch self {
        case .health: ["healthz"]
        case .openAPI: ["api", "v1", "openapi.json"]
        case .stylesheet: ["static", "gotong.css"]
        case .script: ["static", "gotong.js"]
        case .jobs: ["admin", "tugas"]
        case .retryJob(let job): ["admin", "tugas", .param(job), "ulang"]
        }
    }
}
