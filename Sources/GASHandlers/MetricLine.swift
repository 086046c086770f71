import AWSCore
import LambdaRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// CloudWatch embedded metric format: one JSON line on standard output that CloudWatch Logs turns
/// into metrics, with no API call.
public enum MetricLine {
    /// The line for `values` in `namespace`, dimensioned by the function's name; each value's unit
    /// is its entry in `units` (CloudWatch's names: `Milliseconds`, `Bytes`, …), `Count` by default.
    public static func line(namespace: String, function: String, _ values: [String: Int], units: [String: String] = [:], timestamp: Int64) -> String {
        let names = values.keys.sorted()
        var object: [String: JSONValue] = [
            "_aws": .object([
                "Timestamp": .int(timestamp),
                "CloudWatchMetrics": .array([
                    .object([
                        "Namespace": .string(namespace), "Dimensions": .array([.array([.string("Function")])]),
                        "Metrics": .array(names.map { .object(["Name": .string($0), "Unit": .string(units[$0] ?? "Count")]) }),
                    ])
                ]),
            ]),
            "Function": .string(function),
        ]
        for name in names { object[name] = .int(Int64(values[name] ?? 0)) }
        return JSONValue.object(object).serialized()
    }

    /// Writes the line for `values` to standard output (where Lambda sends it to CloudWatch Logs).
    public static func write(namespace: String, function: String, _ values: [String: Int], units: [String: String] = [:]) {
        let text = line(namespace: namespace, function: function, values, units: units, timestamp: LambdaContext.nowMilliseconds()) + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(1, $0.baseAddress, $0.count - 1) }
    }

    /// Writes GAS's metrics `values` (counts unless `units` says otherwise) for the invoked function.
    public static func write(_ values: [String: Int], units: [String: String] = [:], context: LambdaContext) {
        write(namespace: "GAS", function: context.function.name, values, units: units)
    }
}
