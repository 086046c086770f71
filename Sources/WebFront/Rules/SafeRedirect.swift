/// `next` targets: only same-site absolute paths, never another origin (no open redirect).
public enum SafeRedirect {
    /// `candidate` when it is a path on this site (`/annotations?x=1`), otherwise `fallback`.
    ///
    /// Refused: anything not starting with exactly one `/` (`//evil.example`, `/\evil.example`,
    /// `https://…`, `javascript:…`), control characters and backslashes anywhere (browsers treat
    /// `\` as `/`), and over-long values.
    public static func path(_ candidate: String?, fallback: String = "/annotations") -> String {
        guard let candidate, isSafe(candidate) else { return fallback }
        return candidate
    }

    /// Whether `candidate` is a same-site path.
    public static func isSafe(_ candidate: String) -> Bool {
        let scalars = Array(candidate.unicodeScalars)
        guard (1...2048).contains(scalars.count), scalars[0] == "/" else { return false }
        if scalars.count > 1, scalars[1] == "/" || scalars[1] == "\\" { return false }
        return !scalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" || $0.properties.isWhitespace }
    }
}
