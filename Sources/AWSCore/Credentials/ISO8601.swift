import AWSSigV4
import FoundationEssentials

/// ISO 8601 / RFC 3339 UTC timestamps as AWS writes them (`2025-03-14T21:09:26Z`, fractions and offsets allowed).
public enum ISO8601 {
    /// Parses `yyyy-MM-ddTHH:mm:ss[.fff](Z|±hh:mm)`; nil otherwise.
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count >= 20, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
            chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t") || chars[10] == UInt8(ascii: " "),
            chars[13] == UInt8(ascii: ":"), chars[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: chars[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            let start = index
            index += 1
            while index < chars.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(chars[index]) { index += 1 }
            fraction = Double("0" + String(decoding: chars[start..<index], as: UTF8.self)) ?? 0
        }
        var offset = 0
        guard index < chars.count else { return nil }
        switch chars[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard chars.count == index + 6, let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6)
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (chars[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default: return nil
        }
        guard index == chars.count,
            let date = AMZDate.civilDate(year: year, month: month, day: day, hour: hour, minute: minute, second: Double(second) + fraction)
        else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }
}
