import AWSCore
import AWSS3
import AnnotationEngine
import Dispatch
import Synchronization

/// An S3 object read at any offset with ranged GETs of aligned 1 MiB windows, the last four kept:
/// the known-variants cursor reads forward, so most reads hit a window already fetched. Reads block
/// their thread: call them only off the concurrency pool (`EngineAnnotationRunner.onOwnThread`).
public final class S3RangedBytes: RandomAccessBytes {
    static let window = 1 << 20
    static let kept = 4
    let s3: S3Client
    let bucket: String
    let key: String
    private let state = Mutex<State>(State())

    private struct State {
        var windows: [(index: Int, bytes: [UInt8])] = []
        var fetched = 0
        var requests = 0
    }

    public init(s3: S3Client, bucket: String, key: String) {
        self.s3 = s3
        self.bucket = bucket
        self.key = key
    }

    /// Bytes fetched so far, and the GETs that fetched them.
    public var fetched: (bytes: Int, requests: Int) { state.withLock { ($0.fetched, $0.requests) } }

    public func read(offset: Int, count: Int) throws(AnnotationError) -> [UInt8] {
        var result: [UInt8] = []
        var at = offset
        while at < offset + count {
            let index = at / Self.window
            let bytes = try window(index)
            let from = at - index * Self.window
            guard from < bytes.count else { break }
            let take = min(bytes.count - from, offset + count - at)
            result += bytes[from..<(from + take)]
            at += take
            if bytes.count < Self.window { break }  // the object's last window
        }
        return result
    }

    private func window(_ index: Int) throws(AnnotationError) -> [UInt8] {
        if let cached = state.withLock({ state in state.windows.first { $0.index == index }?.bytes }) { return cached }
        let range = "bytes=\(index * Self.window)-\((index + 1) * Self.window - 1)"
        let outcome = Mutex<Result<[UInt8], AWSError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let (s3, bucket, key) = (self.s3, self.bucket, self.key)
        Task {
            let result: Result<[UInt8], AWSError>
            do throws(AWSError) {
                result = .success(try await s3.getObject(bucket: bucket, key: key, range: range).body)
            } catch {
                result = error.code == "InvalidRange" ? .success([]) : .failure(error)  // InvalidRange: past the end
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        switch outcome.withLock({ $0 })! {
        case .success(let bytes):
            state.withLock { state in
                state.windows.append((index, bytes))
                if state.windows.count > Self.kept { state.windows.removeFirst() }
                state.fetched += bytes.count
                state.requests += 1
            }
            return bytes
        case .failure(let error):
            throw .io("reading s3://\(bucket)/\(key) (\(range)): \(error.description)")
        }
    }
}
