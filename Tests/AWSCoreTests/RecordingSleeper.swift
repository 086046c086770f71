import AWSCore
import Synchronization

/// Records requested sleeps and returns at once.
final class RecordingSleeper: Sleeper {
    private let slept = Mutex<[Double]>([])

    var sleeps: [Double] { slept.withLock { $0 } }

    func sleep(seconds: Double) async throws { slept.withLock { $0.append(seconds) } }
}
