import ConsoleKitTerminal
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A console that keeps what a command prints, to run `gotong …` commands in a test.
final class RecordingConsole: Console, @unchecked Sendable {
    private let lock = NIOLock()
    private var out = ""
    private var err = ""
    var userInfo: [AnySendableHashable: any Sendable] = [:]
    var size: (width: Int, height: Int) { (200, 50) }
    var supportsANSICommands: Bool { false }

    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) {
        lock.withLock { out += text.description + (newLine ? "\n" : "") }
    }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) { lock.withLock { err += error + (newLine ? "\n" : "") } }

    var printed: String { lock.withLock { out } }
    var errors: String { lock.withLock { err } }

    /// Runs `gotong <arguments>` in `app` and returns whether it succeeded.
    static func run(_ app: Application, _ arguments: [String]) async -> (ok: Bool, console: RecordingConsole) {
        let console = RecordingConsole()
        var context = CommandContext(console: console, input: CommandInput(arguments: ["gotong"] + arguments))
        context.application = app
        do {
            try await console.run(app.asyncCommands.group(), with: context)
            return (true, console)
        } catch {
            console.report(error: "\(error)", newLine: true)
            return (false, console)
        }
    }
}
