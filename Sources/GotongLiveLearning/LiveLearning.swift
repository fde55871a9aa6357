import Fluent
import Foundation
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The Live Learning module's registrations, made once by `configure`: live programmes and
/// episodes on social media, attendance claimed with the host's code (earning JP and a
/// certificate through the episode's course), and each episode's platform figures.
package enum LiveLearning {
    package static var migrations: [any Migration] { [CreateLiveLearning()] }

    package static func setUp(_ app: Application) {}
}
