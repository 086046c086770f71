import AWSCore
import FoundationEssentials

extension AWSService {
    /// AWS Step Functions.
    public static let stepFunctions = AWSService(name: "states", signingName: "states", hostPrefix: "states", endpointKey: "SFN")
}

/// An execution's state as DescribeExecution reports it.
public struct StepFunctionsExecution: Sendable, Equatable, Decodable {
    /// The execution ARN.
    public var executionArn: String
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, `PENDING_REDRIVE`.
    public var status: String
    /// The input JSON text.
    public var input: String?
    /// The output JSON text, once succeeded.
    public var output: String?
    /// The error name of a failed execution.
    public var error: String?
    /// The cause of a failed execution.
    public var cause: String?
}

/// AWS Step Functions: starting and inspecting executions.
public struct StepFunctionsClient: Sendable {
    let client: AWSClient

    /// A client on `client`'s region, credentials and endpoints.
    public init(client: AWSClient) { self.client = client }

    func call<Output: Decodable>(_ operation: String, _ input: some Encodable, idempotent: Bool = true) async throws(AWSError) -> Output {
        try await client.json(.stepFunctions, target: "AWSStepFunctions.\(operation)", input: input, idempotent: idempotent)
    }

    /// Starts an execution named `name` (1-80 of `0-9 A-Z a-z - _`), so a repeat with the same
    /// input while it runs is a no-op and a later repeat fails with `ExecutionAlreadyExists`.
    public func startExecution(stateMachineARN: String, name: String, input: String) async throws(AWSError) -> String {
        guard (1...80).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw AWSError.invalidParameter("states", "name", "1 to 80 characters of 0-9 A-Z a-z - _, got \(name)")
        }
        guard input.utf8.count <= 262_144 else {
            throw AWSError.invalidParameter("states", "input", "at most 262144 bytes, got \(input.utf8.count)")
        }
        struct Input: Encodable { var stateMachineArn: String; var name: String; var input: String }
        struct Output: Decodable { var executionArn: String }
        // Idempotent because the name is given: StartExecution deduplicates on it.
        let output: Output = try await call("StartExecution", Input(stateMachineArn: stateMachineARN, name: name, input: input))
        return output.executionArn
    }

    /// The current state of an execution.
    public func describeExecution(_ executionARN: String) async throws(AWSError) -> StepFunctionsExecution {
        struct Input: Encodable { var executionArn: String }
        return try await call("DescribeExecution", Input(executionArn: executionARN))
    }

    /// Creates a state machine (local stacks and tests; production ones come from the SAM template); answers its ARN.
    public func createStateMachine(name: String, definition: String, roleARN: String) async throws(AWSError) -> String {
        struct Input: Encodable { var name: String; var definition: String; var roleArn: String }
        struct Output: Decodable { var stateMachineArn: String }
        let output: Output = try await call("CreateStateMachine", Input(name: name, definition: definition, roleArn: roleARN))
        return output.stateMachineArn
    }
}
