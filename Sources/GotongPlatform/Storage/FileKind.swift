import Foundation
import Vapor

/// A kind of file recognised by its first bytes, never by the name or the type a browser
/// declared alone: an upload must say it is what its bytes say it is.
public enum FileKind: String, Sendable, CaseIterable {
    case pdf, png, jpeg, mp4, webm
    /// Word, PowerPoint and Excel files (Office Open XML, a ZIP inside).
    case docx, pptx, xlsx

    /// The extension the file is stored and downloaded under.
    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    public var mediaType: HTTPMediaType {
        switch self {
        case .pdf: HTTPMediaType(type: "application", subType: "pdf")
        case .png: .png
        case .jpeg: .jpeg
        case .mp4: HTTPMediaType(type: "video", subType: "mp4")
        case .webm: HTTPMediaType(type: "video", subType: "webm")
        case .docx:
            HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.wordprocessingml.document")
        case .pptx:
            HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.presentationml.presentation")
        case .xlsx: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
    }

    /// The kind of an upload, from its bytes, and for the ZIP-based Office kinds also its name
    /// (their bytes alone say only "ZIP"). Nil when the bytes are none of `allowed`.
    public static func sniff(_ data: ByteBuffer, filename: String, allowed: [FileKind]) -> FileKind? {
        sniff(head: Array(data.readableBytesView.prefix(12)), filename: filename, allowed: allowed)
    }

    /// The kind of an upload from its first bytes (``ReceivedFile/head``) and its name.
    public static func sniff(head: [UInt8], filename: String, allowed: [FileKind]) -> FileKind? {
        let ext = (filename as NSString).pathExtension.lowercased()
        let found: FileKind?
        if head.starts(with: Array("%PDF-".utf8)) {
            found = .pdf
        } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            found = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            found = .jpeg
        } else if head.count >= 12, Array(head[4..<8]) == Array("ftyp".utf8) {
            found = .mp4
        } else if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) {
            found = .webm
        } else if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            found = FileKind(rawValue: ext).flatMap { [.docx, .pptx, .xlsx].contains($0) ? $0 : nil }
        } else {
            found = nil
        }
        guard let found, allowed.contains(found) else { return nil }
        return found
    }

    /// The kind a stored key ends in.
    public static func of(key: String) -> FileKind? {
        let ext = (key as NSString).pathExtension.lowercased()
        return ext == "jpg" ? .jpeg : FileKind(rawValue: ext)
    }
}

extension FileKind {
    /// "2,4 MB" / "380 KB", the way a person weighs a download on a phone plan.
    public static func sizeText(_ bytes: Int) -> String {
        if bytes >= 1_048_576 {
            return String(format: "%.1f MB", Double(bytes) / 1_048_576).replacingOccurrences(of: ".", with: ",")
        }
        return "\(max(1, bytes / 1024)) KB"
    }
}

extension FileKind {
    /// A sender's file name as it is shown and downloaded: no folders, no control characters,
    /// at most `max` characters (`fallback` when nothing is left), with this kind's extension
    /// whatever the name said.
    public func displayName(for sent: String, fallback: String, max: Int = 120) -> String {
        let last = sent.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var base = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })
        if let dot = base.lastIndex(of: ".") { base = String(base[..<dot]) }
        base = base.trimmingCharacters(in: .whitespaces)
        return String((base.isEmpty ? fallback : base).prefix(max)) + "." + fileExtension
    }
}
