import Foundation

/// Numbers as Indonesian writes them — thousands with dots, decimals with a comma — on every
/// page (English pages too: a table's figures read the same in both). "—" for an unknown.
public enum NumberText {
    /// `12.345`
    public static func whole(_ value: Int?) -> String {
        guard let value else { return "—" }
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `3,45`
    public static func decimal(_ value: Double?, digits: Int = 2) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.\(digits)f", value).replacingOccurrences(of: ".", with: ",")
    }

    /// `15,0%` for 0.15.
    public static func percent(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return "—" }
        return decimal(value * 100, digits: digits) + "%"
    }
}
