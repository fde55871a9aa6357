import Foundation
import Testing
@testable import GotongServiceDesk

/// LAPOR!'s flow as a table: what each action does from each status, and what it may not.
@Suite("Service desk lifecycle")
struct LifecycleTests {
    @Test func theFlowFromNewToDone() {
        #expect(Lifecycle.next(.verify, from: .baru) == .diverifikasi)
        #expect(Lifecycle.next(.route, from: .diverifikasi) == .diteruskan)
        #expect(Lifecycle.next(.followUp, from: .diteruskan) == .ditindaklanjuti)
        #expect(Lifecycle.next(.finish, from: .ditindaklanjuti) == .selesai)
    }

    @Test func whatMayNotBeDone() {
        // a new case is verified or refused first; a closed one takes no action
        for action in [CaseAction.route, .followUp, .finish] { #expect(Lifecycle.next(action, from: .baru) == nil) }
        for status in [DeskCase.Status.selesai, .ditolak] {
            for action in CaseAction.allCases {
                #expect(Lifecycle.next(action, from: status) == nil, "\(action) \(status)")
            }
        }
        #expect(Lifecycle.next(.refuse, from: .ditindaklanjuti) == nil)
        #expect(Lifecycle.next(.waitForCitizen, from: .menungguWarga) == nil)
        #expect(Lifecycle.next(.verify, from: .diverifikasi) == nil)
    }

    @Test func eachStageHasItsTarget() {
        #expect(Lifecycle.target(of: .baru, verifyDays: 3, planDays: 5) == 3)
        #expect(Lifecycle.target(of: .diteruskan, verifyDays: 3, planDays: 5) == 5)
        #expect(Lifecycle.target(of: .selesai, verifyDays: 3, planDays: 5) == nil)
        #expect(Lifecycle.target(of: .menungguWarga, verifyDays: 3, planDays: 5) == nil)
    }

    @Test func aPauseResumesWhereItStoppedAndAReopenedCaseIsRoutedAgain() {
        #expect(Lifecycle.next(.waitForCitizen, from: .diteruskan) == .menungguWarga)
        #expect(Lifecycle.next(.resume, from: .menungguWarga, pausedFrom: .diteruskan) == .diteruskan)
        #expect(Lifecycle.next(.resume, from: .diteruskan) == nil)
        #expect(Lifecycle.next(.route, from: .diteruskan) == .diteruskan)
        #expect(Lifecycle.next(.route, from: .dibukaKembali) == .diteruskan)
        #expect(Lifecycle.next(.finish, from: .dibukaKembali) == .selesai)
    }

    @Test func routingRulesMatchWholeWordsInOrder() {
        let roads = UUID(), lights = UUID(), category = UUID(), other = UUID()
        let rules = [
            DeskRule(tenantID: UUID(), unitID: lights, categoryID: nil, keyword: "lampu jalan", position: 0),
            DeskRule(tenantID: UUID(), unitID: roads, categoryID: category, keyword: "jalan", position: 1),
        ]
        #expect(Routing.unit(for: category, text: "LAMPU  Jálan padam", rules: rules) == lights)
        #expect(Routing.unit(for: category, text: "Jalan berlubang.", rules: rules) == roads)
        #expect(Routing.unit(for: category, text: "Program tidak berjalan; perjalanan dinas", rules: rules) == nil)
        #expect(Routing.unit(for: other, text: "Jalan berlubang.", rules: rules) == nil)
    }
}
