import Foundation
import Vapor

/// Input that was refused, with every problem found. Web pages show the problems beside the form;
/// the API answers 422 with them in a problem document. Messages are catalogue keys, so each
/// caller reads them in its own language.
public struct InputError: Error, Sendable {
    public struct Problem: Sendable, Equatable, Codable {
        /// The field (or CSV column) at fault.
        public var field: String
        /// The localisation key of the message.
        public var key: String
        /// Values for the message's `{placeholders}`.
        public var args: [String: String]
        /// The CSV row, counting the header as row 1, when the input was a file.
        public var row: Int?

        public init(field: String, key: String, args: [String: String] = [:], row: Int? = nil) {
            self.field = field
            self.key = key
            self.args = args
            self.row = row
        }
    }

    public var problems: [Problem]
    /// 422 for input that is wrong in itself; 409 for input that clashes with what exists.
    public var status: HTTPStatus

    public init(_ problems: [Problem], status: HTTPStatus = .unprocessableEntity) {
        self.problems = problems
        self.status = status
    }

    public init(field: String, key: String, args: [String: String] = [:], status: HTTPStatus = .unprocessableEntity) {
        self.problems = [.init(field: field, key: key, args: args)]
        self.status = status
    }
}

/// Collects problems while checking input, then throws them all at once.
public struct ProblemList: Sendable {
    public var problems: [InputError.Problem] = []

    public init() {}

    public mutating func add(_ field: String, _ key: String, _ args: [String: String] = [:], row: Int? = nil) {
        problems.append(.init(field: field, key: key, args: args, row: row))
    }

    public var isEmpty: Bool { problems.isEmpty }

    public func throwIfAny() throws {
        if !problems.isEmpty { throw InputError(problems) }
    }
}

extension InputError {
    /// The first message for each field, in the caller's language, for showing beside a form.
    public func messages(_ req: Request) -> [String: String] {
        var result: [String: String] = [:]
        for problem in problems where result[problem.field] == nil {
            result[problem.field] = req.t(problem.key, problem.args)
        }
        return result
    }
}

extension Optional {
    public func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
