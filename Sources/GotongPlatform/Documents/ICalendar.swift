import Foundation

/// An iCalendar feed (RFC 5545) of events, for calendar apps to subscribe to: times in UTC,
/// text escaped, lines folded at 75 octets without splitting a character, CRLF endings.
public struct ICalendar: Sendable {
    public struct Event: Sendable {
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var description: String
        public var url: String
        public var cancelled: Bool
        /// When the event last changed (DTSTAMP), and how often (SEQUENCE): calendars replace an
        /// event they hold only by a higher sequence.
        public var stamp: Date
        public var sequence: Int

        public init(
            uid: String, start: Date, end: Date, summary: String, description: String, url: String, cancelled: Bool,
            stamp: Date, sequence: Int
        ) {
            (self.uid, self.start, self.end, self.summary, self.description) = (uid, start, end, summary, description)
            (self.url, self.cancelled, self.stamp, self.sequence) = (url, cancelled, stamp, sequence)
        }
    }

    public var name: String
    public var events: [Event]

    public init(name: String, events: [Event]) {
        self.name = name
        self.events = events
    }

    public var text: String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Gotong//Live Learning//ID", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + Self.escape(name), "X-WR-TIMEZONE:Asia/Jakarta",
        ]
        for event in events {
            lines += [
                "BEGIN:VEVENT", "UID:" + Self.escape(event.uid), "DTSTAMP:" + Self.utc(event.stamp),
                "DTSTART:" + Self.utc(event.start), "DTEND:" + Self.utc(event.end),
                "SUMMARY:" + Self.escape(event.summary), "DESCRIPTION:" + Self.escape(event.description),
                "URL:" + event.url, "STATUS:" + (event.cancelled ? "CANCELLED" : "CONFIRMED"),
                "SEQUENCE:\(event.sequence)", "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261205T060000Z`.
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// TEXT values: backslash, semicolon and comma escaped, line breaks as `\n`, other control
    /// characters dropped.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\r": continue
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Folds a content line into lines of at most 75 octets, continuations starting with a space.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
