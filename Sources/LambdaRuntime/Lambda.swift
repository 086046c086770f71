import GlibcCompat
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Entry points for a handler executable.
public enum Lambda {
    /// Runs the handler as this process's Lambda function and exits: the Runtime API loop when
    /// `AWS_LAMBDA_RUNTIME_API` is set, otherwise one local invocation with the event from
    /// `--event FILE` or standard input, printing the response (or the error JSON, exit 1).
    public static func main(_ makeHandler: @escaping @Sendable (Logger) async throws -> any RawLambdaHandler) async -> Never {
        // Keeps the glibc compatibility object (hypotf for provided.al2023) in every Lambda binary.
        precondition(gas_glibc_compat_linked() == 1)
        let environment = LambdaRuntime.processEnvironment()
        if environment["AWS_LAMBDA_RUNTIME_API"] == nil {
            exit(await LocalInvocation(environment: environment, arguments: Array(CommandLine.arguments.dropFirst())).run(makeHandler))
        }
        switch await LambdaRuntime(environment: environment).run(makeHandler: makeHandler) {
        case .finished: exit(0)
        case .initFailed, .runtimeAPIFailed: exit(1)
        }
    }

}

/// One invocation outside Lambda, for `swift run SomeHandler --event event.json`.
struct LocalInvocation {
    let environment: [String: String]
    let arguments: [String]
    /// Where the response or error document goes (standard output by default).
    var output: LambdaLogHandler.Writer = LambdaLogHandler.standardOutput

    /// Runs once and answers the process exit code.
    func run(_ makeHandler: (Logger) async throws -> any RawLambdaHandler) async -> Int32 {
        // Logs go to standard error so standard output holds only the response.
        let runtime = LambdaRuntime(environment: environment) { line in
            line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
        }
        let logger = runtime.makeLogger()
        let event: [UInt8]
        do {
            event = try readEvent()
        } catch {
            printOut(ErrorDocument(type: "InvalidArguments", message: "\(error)").json)
            return 2
        }
        do {
            let handler = try await makeHandler(logger)
            var invocationLogger = logger
            let requestID = "local-\(UInt64.random(in: 1...UInt64.max))"
            invocationLogger[metadataKey: "requestId"] = .string(requestID)
            let context = LambdaContext(
                requestID: requestID, deadlineMilliseconds: LambdaContext.nowMilliseconds() + 900_000,
                invokedFunctionARN: "arn:aws:lambda:local:000000000000:function:\(environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "local")",
                function: LambdaFunction(environment: environment), logger: invocationLogger)
            printOut(try await handler.handle(event, context: context))
            return 0
        } catch {
            printOut(ErrorDocument(error).json)
            return 1
        }
    }

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    private func readEvent() throws -> [UInt8] {
        if let flag = arguments.firstIndex(of: "--event") {
            guard flag + 1 < arguments.count else { throw UsageError(description: "--event needs a file name") }
            let path = arguments[flag + 1]
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw UsageError(description: "--event \(path): cannot open the file (errno \(errno))") }
            defer { close(descriptor) }
            return readAll(descriptor)
        }
        if let unknown = arguments.first { throw UsageError(description: "unknown argument \(unknown); use --event FILE or standard input") }
        return readAll(0)
    }

    private func readAll(_ descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }

    private func printOut(_ bytes: [UInt8]) { output(bytes + [10]) }
}
