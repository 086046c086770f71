import TestSupport
import Testing

/// Every test that talks to moto runs inside this suite, one at a time, each from a reset server.
@Suite(.serialized) struct MotoSuite {}

/// A fresh, unique name for a bucket, table, queue or topic.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UInt32.random(in: .min ... .max))"
}
