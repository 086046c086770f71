import LambdaRuntime
import Synchronization

/// Collects what a writer is given, line by line.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var writer: LambdaLogHandler.Writer {
        { bytes in self.lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
    }

    var all: [String] { lines.withLock { $0 } }
}
