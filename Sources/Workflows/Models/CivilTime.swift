/// Proleptic Gregorian dates from epoch seconds and back, without Foundation (Howard Hinnant's
/// days-from-civil algorithms): the emails and the web pages format times with it.
public enum CivilTime {
    /// A date and time of day.
    public struct Fields: Sendable, Equatable {
        public var year, month, day, hour, minute, second: Int
    }

    /// The UTC date and time of `epoch` seconds (negative values too).
    public static func fields(_ epoch: Int) -> Fields {
        let days = epoch >= 0 ? epoch / 86_400 : (epoch - 86_399) / 86_400
        let seconds = epoch - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        return Fields(
            year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: doy - (153 * mp + 2) / 5 + 1, hour: seconds / 3600,
            minute: seconds % 3600 / 60, second: seconds % 60)
    }

    /// Days since 1970-01-01 of a date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `YYYY-MM-DD` and `HH:MM:SS` of `fields`, zero-padded.
    public static func text(_ f: Fields, separator: String) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(f.year)-\(two(f.month))-\(two(f.day))\(separator)\(two(f.hour)):\(two(f.minute)):\(two(f.second))"
    }
}
