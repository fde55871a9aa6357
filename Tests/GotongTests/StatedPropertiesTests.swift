import Fluent
import Foundation
import Testing
@testable import GotongAssessment
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongEvaluation
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongLiveLearning
@testable import GotongPlatform
@testable import GotongPublicInfo
@testable import GotongServiceDesk
@testable import GotongTenancy

/// Every model writes out Fluent's property list (`properties`) instead of leaving Fluent to find
/// it by reflection on each query and row. A list that misses a property would silently stop
/// that column being read or written; this checks each list against the reflected one.
@Suite("Models' stated property lists")
struct StatedPropertiesTests {
    /// Every model of every module. A model added later without a list of its own uses Fluent's
    /// reflection and passes; one with a list belongs here.
    static let models: [any Fields.Type] = [
        FileReference.self, QueuedJob.self, PlatformSecret.self, AuditEntry.self,
        Tenant.self, Membership.self, TenantPage.self, TenantCategory.self, TenantSetting.self,
        Person.self, PersonSession.self, PersonNotification.self, PersonToken.self, APIToken.self,
        LoginAttempt.self, PendingImport.self,
        Course.self, CourseStaff.self, CoursePrerequisite.self, Enrolment.self,
        Activity.self, CourseSection.self, ActivityProgress.self, LearningClock.self,
        ForumThread.self, ForumPost.self, Reminder.self, ReminderRecipient.self,
        QuestionCategory.self, QuestionRecord.self, PendingQuestionImport.self, QuizSlot.self, QuizAttempt.self,
        QuizAnswer.self, AssignmentSubmission.self, AssignmentFile.self, LedgerEntry.self, Certificate.self,
        CertificateCounter.self, CertificateSettings.self, CourseSigner.self, ReminderRun.self, BadgeClass.self,
        IssuerKey.self, EvaluationForm.self, EvaluationItem.self, CourseEvaluation.self, EvaluationResponse.self,
        EvaluationAnswer.self, EvaluationFollowUp.self, LiveProgramme.self, LiveEpisode.self, EpisodeFigures.self,
        LiveClaim.self, ClaimFailure.self, LiveRegistration.self, DeskSettings.self, DeskHoliday.self,
        DeskCategory.self, DeskCase.self, DeskReporter.self, DeskMessage.self, DeskEvent.self, DeskUnit.self,
        DeskStaff.self, DeskRule.self, DeskTemplate.self, DeskChannel.self, DeskInbound.self, DeskOutbox.self,
        DeskAttachment.self, DeskAnswered.self, InfoService.self, InfoDocument.self, FactCheck.self, QASession.self,
        QAQuestion.self, QAVote.self, InfoFAQ.self,
        InfoSettings.self,
        InfoUnanswered.self, InfoPost.self, InfoPostFigures.self, DeskSubscriber.self,
        InfoServiceForm.self, Consultation.self, ConsultationSection.self, ConsultationResponse.self,
        ConsultationAnswer.self, ConsultationComment.self, ParticipantProof.self,
    ]

    /// The property wrappers reflection finds on a fresh instance, in declaration order.
    static func reflected(_ model: any Fields) -> [ObjectIdentifier] {
        Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }.map {
            ObjectIdentifier($0 as AnyObject)
        }
    }

    @Test(arguments: models.map { ModelType($0) })
    func theStatedListIsTheReflectedOne(model: ModelType) {
        let instance = model.type.init()
        let stated = instance.properties.map { ObjectIdentifier($0 as AnyObject) }
        #expect(stated == Self.reflected(instance), "\(model) lists \(stated.count) properties")
    }

    @Test func everyModelInTheSourcesIsChecked() throws {
        // The test runs from the package folder: count the model classes the sources declare.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        let declaration = /final class (\w+): (Model|TenantOwned)\b/
        var declared: Set<String> = []
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: declaration) { declared.insert(String(match.1)) }
        }
        #expect(declared == Set(Self.models.map { String(describing: $0) }))
    }

    /// A model type as a test argument (metatypes are not `Sendable`-friendly descriptions).
    struct ModelType: CustomStringConvertible, Sendable {
        let type: any Fields.Type
        init(_ type: any Fields.Type) { self.type = type }
        var description: String { String(describing: type) }
    }
}
