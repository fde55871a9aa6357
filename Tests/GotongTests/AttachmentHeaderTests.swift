import Testing
import Vapor
@testable import GotongPlatform

/// Every download's `Content-Disposition`: a sender's file name cannot break the header, and
/// the exact name travels encoded beside the ASCII one.
@Suite("Attachment header")
struct AttachmentHeaderTests {
    @Test func aSendersNameCannotBreakTheHeaderAndArrivesWhole() {
        #expect(HTTPHeaders.attachment("modul.pdf") == #"attachment; filename="modul.pdf"; filename*=UTF-8''modul.pdf"#)
        let hostile = HTTPHeaders.attachment("a\"; filename=evil.exe\r\nX: y.docx")
        #expect(hostile.hasPrefix(#"attachment; filename="a_; filename=evil.exe__X: y.docx"; filename*=UTF-8''"#))
        #expect(!hostile.contains("\r") && !hostile.contains("\n"))
        #expect(hostile.hasSuffix("a%22%3B%20filename%3Devil.exe%0D%0AX%3A%20y.docx"))
        var headers = HTTPHeaders()
        headers.setAttachment(filename: "Rekap Ñ.csv")
        #expect(
            headers.first(name: .contentDisposition)
                == #"attachment; filename="Rekap _.csv"; filename*=UTF-8''Rekap%20%C3%91.csv"#)
    }
}
