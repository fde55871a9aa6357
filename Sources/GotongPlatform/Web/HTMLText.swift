import Foundation

/// HTML built by appending: `text` and `attr` escape, `raw` does not (for markup written here).
public final class HTMLText {
    public private(set) var string = ""

    public init() { string.reserveCapacity(16_384) }

    @discardableResult
    public func raw(_ markup: String) -> HTMLText { string += markup; return self }

    @discardableResult
    public func text(_ value: String) -> HTMLText { escape(value); return self }

    @discardableResult
    public func attr(_ value: String) -> HTMLText { escape(value); return self }

    private func escape(_ value: String) {
        guard value.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }) else {
            string += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": string += "&amp;"
            case "<": string += "&lt;"
            case ">": string += "&gt;"
            case "\"": string += "&quot;"
            case "'": string += "&#39;"
            default: string.unicodeScalars.append(scalar)
            }
        }
    }
}
