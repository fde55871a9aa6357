import Foundation
import GotongPlatform
import Vapor

/// What a question file holds, as the import preview and the API report it: the questions that
/// will be imported (by kind, with their line and category) and every part that will not, with
/// its line and reason in the reader's language.
struct ImportReport: Content {
    struct Line: Content, Equatable {
        var line: Int
        var code: String
        var message: String
    }

    struct Item: Content {
        var line: Int
        var kind: String
        var name: String
        var category: [String]
    }

    var format: String
    var questions: Int
    var by_kind: [String: Int]
    /// The categories the questions go to, as paths below the chosen category.
    var categories: [[String]]
    var items: [Item]
    var problems: [Line]
    /// Parts left out of questions that are imported (an embedded image).
    var notes: [Line]
    var committed = false
    /// Categories the import made.
    var new_categories: Int? = nil

    init(_ file: QuestionFile, format: QuestionFormat, req: Request) {
        self.format = format.rawValue
        questions = file.items.count
        by_kind = Dictionary(uniqueKeysWithValues: file.countsByKind.map { ($0.key.rawValue, $0.value) })
        var seen = Set<[String]>()
        categories = file.items.map(\.category).filter { seen.insert($0).inserted }
        items = file.items.map {
            Item(line: $0.line, kind: $0.question.kind.rawValue, name: $0.question.name, category: $0.category)
        }
        let line = { (p: QuestionFile.Problem) in Line(line: p.line, code: p.key, message: req.t(p.key, p.args)) }
        problems = file.problems.map(line)
        notes = file.notes.map(line)
    }
}
