import Foundation

/// What officers do to a case, LAPOR!'s flow: a new case is verified (or refused), routed to a
/// work unit, followed up, and done; while the desk waits on the citizen its clock stops, and
/// it runs again when the citizen answers (or an officer resumes it); a citizen who disputes
/// "done" within 14 days reopens it.
public enum CaseAction: String, CaseIterable, Codable, Sendable {
    case verify = "verifikasi"
    case route = "teruskan"
    case followUp = "tindak-lanjut"
    case waitForCitizen = "tunggu-warga"
    case resume = "lanjutkan"
    case finish = "selesai"
    case refuse = "tolak"
}

enum Lifecycle {
    /// How long after "done" a citizen may dispute it.
    static let disputeDays = 14

    /// The status `action` leads to from `status`, or nil when it may not be taken then. A
    /// paused case resumes to the status it was paused from (`pausedFrom`).
    static func next(
        _ action: CaseAction, from status: DeskCase.Status, pausedFrom: DeskCase.Status? = nil
    ) -> DeskCase.Status? {
        switch (action, status) {
        case (.verify, .baru): .diverifikasi
        case (.refuse, .baru), (.refuse, .diverifikasi): .ditolak
        case (.route, .diverifikasi), (.route, .dibukaKembali), (.route, .diteruskan): .diteruskan
        case (.followUp, .diverifikasi), (.followUp, .diteruskan), (.followUp, .dibukaKembali): .ditindaklanjuti
        case (.waitForCitizen, let from) where ![.menungguWarga, .selesai, .ditolak].contains(from): .menungguWarga
        case (.resume, .menungguWarga): pausedFrom ?? .baru
        case (.finish, let from) where [.diverifikasi, .diteruskan, .ditindaklanjuti, .dibukaKembali].contains(from):
            .selesai
        default: nil
        }
    }

    /// The working days of the stage `status` begins, or nil when it has no deadline of its
    /// own: verifying a new case, planning the follow-up of a verified, routed or reopened one.
    static func target(of status: DeskCase.Status, verifyDays: Int, planDays: Int) -> Int? {
        switch status {
        case .baru: verifyDays
        case .diverifikasi, .diteruskan, .dibukaKembali: planDays
        default: nil
        }
    }

    /// Whether a citizen may still dispute a case closed "done" at `closedAt`.
    static func mayDispute(_ item: DeskCase, now: Date) -> Bool {
        guard item.status == .selesai, let closedAt = item.closedAt else { return false }
        return now < closedAt.addingTimeInterval(Double(disputeDays) * 86_400)
    }
}
