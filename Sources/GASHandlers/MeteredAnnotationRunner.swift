import Workflows

/// An annotation runner that writes each finished annotation's duration and input size as
/// embedded metrics (`AnnotationMilliseconds`, `AnnotationBytes`) on standard output.
struct MeteredAnnotationRunner: AnnotationRunner {
    let inner: any AnnotationRunner
    let function: String

    func annotate(_ input: AnnotationInput) async throws -> AnnotationOutput {
        let clock = ContinuousClock()
        let started = clock.now
        let output = try await inner.annotate(input)
        let elapsed = (clock.now - started).components
        let milliseconds = Int(elapsed.seconds) * 1000 + Int(elapsed.attoseconds / 1_000_000_000_000_000)
        MetricLine.write(
            namespace: "GAS", function: function, ["AnnotationMilliseconds": milliseconds, "AnnotationBytes": Int(output.inputBytes)],
            units: ["AnnotationMilliseconds": "Milliseconds", "AnnotationBytes": "Bytes"])
        return output
    }
}
