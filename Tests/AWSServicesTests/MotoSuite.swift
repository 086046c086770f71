import TestSupport
import Testing

/// The moto tests of this target, one at a time; each holds a `MotoLease` (a reset server, used by no other test).
@Suite(.serialized) struct MotoSuite {}

/// A fresh, unique name for a bucket, table, queue or topic.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UInt32.random(in: .min ... .max))"
}
