import LocalStack
import Testing

/// The local stack's compressed times keep the order the claims rely on.
struct LocalTimeScaleTests {
    @Test(arguments: [0.0001, 0.002, 0.01, 1.0 / 15, 0.05, 1, 12])
    func aQueueNeverRedeliversBeforeItsFunctionsTimeout(_ factor: Double) {
        let scale = LocalTimeScale(factor: factor)
        // The template's (function timeout, queue visibility timeout) pairs, and a tight one.
        for (timeout, visibility) in [(900.0, 5400), (120.0, 720), (900.0, 900), (29.0, 30)] {
            let local = scale.timeout(timeout)
            #expect(local <= timeout, "never slower than AWS")
            #expect(local >= min(timeout, LocalTimeScale.shortestTimeout))
            #expect(Double(scale.visibilityTimeout(visibility, functionTimeout: local)) >= local)
        }
    }

    @Test func theScaleIsTheRetentions() {
        let scale = LocalTimeScale(retentionSeconds: 20)
        #expect(scale.factor == 20.0 / 300)
        #expect(scale.timeout(900) == 60)
        #expect(scale.visibilityTimeout(5400, functionTimeout: 60) == 360)
        #expect(scale.timeout(120) == 10, "a floor, so a cold start fits")
        #expect(LocalTimeScale(retentionSeconds: 3600).factor == 1, "a long retention does not stretch AWS's times")
    }
}
