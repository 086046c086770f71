import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// UTC renderings of an instant in the forms SigV4 and AWS APIs use.
public struct AMZDate: Sendable {
    /// `yyyyMMdd'T'HHmmss'Z'`, the `X-Amz-Date` value.
    public let timestamp: String
    /// `yyyyMMdd`, the credential scope date.
    public let day: String
    /// `yyyy-MM-dd'T'HH:mm:ss'Z'`, ISO 8601 as in POST policies.
    public let iso8601: String

    /// Renders `date` in UTC (whole seconds).
    public init(_ date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        let fields = [Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)]
            .map { $0 < 10 ? "0\($0)" : "\($0)" }
        let yyyy = String(year)
        day = yyyy + fields[0] + fields[1]
        timestamp = day + "T" + fields[2] + fields[3] + fields[4] + "Z"
        iso8601 = "\(yyyy)-\(fields[0])-\(fields[1])T\(fields[2]):\(fields[3]):\(fields[4])Z"
    }

    /// Parses `yyyyMMdd'T'HHmmss'Z'` back into an instant.
    public static func parse(timestamp: String) -> Date? {
        let digits = Array(timestamp.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: digits[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        return civilDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The instant of a UTC calendar date and time, or nil when a field is out of range.
    public static func civilDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            second >= 0, second < 61
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm), independent of the process time zone.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let total = Double(days * 86400 + hour * 3600 + minute * 60) + second
        return Date(timeIntervalSince1970: total)
    }

    static func civilDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        civilDate(year: year, month: month, day: day, hour: hour, minute: minute, second: Double(second))
    }
}
