import AWSSigV4
import FoundationEssentials

/// RFC 1123 dates as HTTP headers carry them (`Fri, 21 Dec 2012 00:00:00 GMT`).
public enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses an RFC 1123 date; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        return AMZDate.civilDate(year: year, month: monthIndex + 1, day: day, hour: time[0], minute: time[1], second: Double(time[2]))
    }
}
