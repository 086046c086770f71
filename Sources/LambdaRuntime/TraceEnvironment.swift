#if canImport(Glibc)
    import Glibc
#endif

/// Keeps `_X_AMZN_TRACE_ID` equal to the current invocation's trace header.
///
/// glibc's `setenv` allocates a new string on every call and never frees the old one, which over
/// millions of invocations is a steady leak. Instead the variable points at one buffer owned here
/// (`putenv` stores the pointer itself), rewritten in place for each invocation.
final class TraceEnvironment {
    private static let prefix = Array("_X_AMZN_TRACE_ID=".utf8)
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    private var installed = false

    deinit {
        if installed { unsetenv("_X_AMZN_TRACE_ID") }
        buffer?.deallocate()
    }

    /// Sets the variable to `trace`, or removes it when nil.
    func set(_ trace: String?) {
        guard let trace else {
            if installed { unsetenv("_X_AMZN_TRACE_ID") }
            installed = false
            return
        }
        let needed = Self.prefix.count + trace.utf8.count + 1
        if needed > capacity {
            let old = buffer
            capacity = max(needed, 256)
            buffer = .allocate(capacity: capacity)
            write(trace)
            putenv(buffer!)  // the environment now points at the new buffer
            installed = true
            old?.deallocate()
            return
        }
        write(trace)
        if !installed {
            putenv(buffer!)
            installed = true
        }
    }

    private func write(_ trace: String) {
        guard let buffer else { return }
        var index = 0
        for byte in Self.prefix + Array(trace.utf8) {
            buffer[index] = CChar(bitPattern: byte)
            index += 1
        }
        buffer[index] = 0
    }
}
