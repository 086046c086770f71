import LambdaRuntime

/// Answers every event with its own bytes: the runtime's benchmark function.
@main
struct EchoLambda {
    static func main() async {
        await Lambda.main { _ -> any RawLambdaHandler in
            ClosureRawLambdaHandler { event, _ in event }
        }
    }
}
