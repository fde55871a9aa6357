import Foundation

/// Third-party programs that read what Gotong writes — poppler for PDF, zbar for QR codes,
/// qpdf for a PDF's structure — so a document is checked by a real reader, never by our own
/// code. `scripts/test` installs them (scripts/lib/deps.sh).
enum Peers {
    struct Missing: Error, CustomStringConvertible {
        let tool: String
        var description: String { "\(tool) is not installed; scripts/test installs it (scripts/lib/deps.sh)" }
    }

    struct Result {
        let status: Int32
        let output: String
    }

    /// Runs `/usr/bin/<tool>` with the arguments and returns its exit status and standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> Result {
        let path = "/usr/bin/" + tool
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(tool: tool) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        // zbar complains on stderr when the machine has no D-Bus; only stdout is the answer.
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// A fresh folder for one test's files, removed by the caller's `defer`.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gotong-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
