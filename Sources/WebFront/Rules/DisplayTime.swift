import Workflows

/// Renders epoch seconds in one configured zone, with daylight saving, as `YYYY-MM-DD @ HH:MM:SS TZ`.
///
/// Zones are POSIX TZ rules (`CST6CDT,M3.2.0,M11.1.0`): the same rule glibc reads and the last line
/// of every TZif file carries, so this needs neither ICU nor zoneinfo files on the Lambda image.
/// Common IANA names map to their current rule.
public struct DisplayTime: Sendable, Equatable {
    struct Transition: Sendable, Equatable {
        var month: Int, week: Int, weekday: Int, seconds: Int
    }

    let standardName: String
    let standardOffset: Int
    let daylightName: String?
    let daylightOffset: Int
    let start: Transition?
    let end: Transition?

    /// IANA names whose current POSIX rule is known here.
    static let known: [String: String] = [
        "America/Chicago": "CST6CDT,M3.2.0,M11.1.0", "US/Central": "CST6CDT,M3.2.0,M11.1.0",
        "America/New_York": "EST5EDT,M3.2.0,M11.1.0", "US/Eastern": "EST5EDT,M3.2.0,M11.1.0",
        "America/Denver": "MST7MDT,M3.2.0,M11.1.0", "America/Phoenix": "MST7",
        "America/Los_Angeles": "PST8PDT,M3.2.0,M11.1.0", "US/Pacific": "PST8PDT,M3.2.0,M11.1.0",
        "Europe/London": "GMT0BST,M3.5.0/1,M10.5.0", "Europe/Berlin": "CET-1CEST,M3.5.0,M10.5.0/3",
        "Europe/Paris": "CET-1CEST,M3.5.0,M10.5.0/3", "UTC": "UTC0", "Etc/UTC": "UTC0", "GMT": "GMT0",
    ]

    /// The zone named `name` (an IANA name above, or a POSIX rule); nil when it cannot be read.
    public init?(zone name: String) {
        guard let parsed = Self.parse(Self.known[name] ?? name) else { return nil }
        self = parsed
    }

    init(standardName: String, standardOffset: Int, daylightName: String?, daylightOffset: Int, start: Transition?, end: Transition?) {
        self.standardName = standardName
        self.standardOffset = standardOffset
        self.daylightName = daylightName
        self.daylightOffset = daylightOffset
        self.start = start
        self.end = end
    }

    /// `2026-03-08 @ 03:00:00 CDT` for `epoch`.
    public func format(_ epoch: Int) -> String {
        let (offset, name) = offsetAndName(at: epoch)
        return CivilTime.text(CivilTime.fields(epoch + offset), separator: " @ ") + " " + name
    }

    /// The UTC offset in seconds (east positive) and abbreviation in force at `epoch`.
    func offsetAndName(at epoch: Int) -> (Int, String) {
        guard let daylightName, let start, let end else { return (standardOffset, standardName) }
        let year = CivilTime.fields(epoch + standardOffset).year
        // Transition times are local wall time: the start in standard time, the end in daylight time.
        let startUTC = Self.epoch(of: start, year: year) - standardOffset
        let endUTC = Self.epoch(of: end, year: year) - daylightOffset
        let inDaylight = startUTC < endUTC ? (epoch >= startUTC && epoch < endUTC) : !(epoch >= endUTC && epoch < startUTC)
        return inDaylight ? (daylightOffset, daylightName) : (standardOffset, standardName)
    }

    /// Local midnight-based seconds of the `Mm.w.d/time` rule in `year`.
    static func epoch(of rule: Transition, year: Int) -> Int {
        let first = CivilTime.days(year: year, month: rule.month, day: 1)
        let firstWeekday = ((first % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        var day = 1 + (rule.weekday - firstWeekday + 7) % 7 + (rule.week - 1) * 7
        if rule.week == 5 {
            let length = CivilTime.days(year: rule.month == 12 ? year + 1 : year, month: rule.month == 12 ? 1 : rule.month + 1, day: 1) - first
            while day > length { day -= 7 }
        }
        return (first + day - 1) * 86_400 + rule.seconds
    }

    /// Parses `std offset [dst [offset] [,Mm.w.d[/time],Mm.w.d[/time]]]`.
    static func parse(_ rule: String) -> DisplayTime? {
        var rest = Substring(rule)
        func name() -> String? {
            if rest.first == "<" {
                guard let close = rest.firstIndex(of: ">") else { return nil }
                let value = String(rest[rest.index(after: rest.startIndex)..<close])
                rest = rest[rest.index(after: close)...]
                return value.isEmpty ? nil : value
            }
            let value = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(value.count)
            return value.count >= 3 ? String(value) : nil
        }
        func seconds() -> Int? {
            var sign = 1
            if rest.first == "+" || rest.first == "-" {
                sign = rest.first == "-" ? -1 : 1
                rest = rest.dropFirst()
            }
            var parts: [Int] = []
            while parts.count < 3 {
                let digits = rest.prefix { $0.isNumber }
                guard let value = Int(digits), !digits.isEmpty else { break }
                parts.append(value)
                rest = rest.dropFirst(digits.count)
                guard rest.first == ":" else { break }
                rest = rest.dropFirst()
            }
            guard let hours = parts.first, hours <= 167 else { return nil }
            return sign * (hours * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0))
        }
        func transition() -> Transition? {
            guard rest.first == "M" else { return nil }
            rest = rest.dropFirst()
            let fields = rest.prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) }
            rest = rest.dropFirst(rest.prefix { $0.isNumber || $0 == "." }.count)
            guard fields.count == 3, (1...12).contains(fields[0]), (1...5).contains(fields[1]), (0...6).contains(fields[2]) else { return nil }
            var time = 7200
            if rest.first == "/" {
                rest = rest.dropFirst()
                guard let value = seconds() else { return nil }
                time = value
            }
            return Transition(month: fields[0], week: fields[1], weekday: fields[2], seconds: time)
        }
        guard let standard = name(), let west = seconds() else { return nil }
        if rest.isEmpty {
            return DisplayTime(standardName: standard, standardOffset: -west, daylightName: nil, daylightOffset: -west, start: nil, end: nil)
        }
        guard let daylight = name() else { return nil }
        var daylightWest = west - 3600
        if let first = rest.first, first != "," {
            guard let value = seconds() else { return nil }
            daylightWest = value
        }
        guard rest.first == "," else { return nil }
        rest = rest.dropFirst()
        guard let start = transition(), rest.first == "," else { return nil }
        rest = rest.dropFirst()
        guard let end = transition(), rest.isEmpty else { return nil }
        return DisplayTime(
            standardName: standard, standardOffset: -west, daylightName: daylight, daylightOffset: -daylightWest, start: start, end: end)
    }
}
