import AWSCore
import AWSSigV4
import AWSStepFunctions
import FoundationEssentials
import Workflows

/// Starts the archive state machine once per job: the execution is named after the job, so a
/// repeated start is deduplicated by Step Functions.
public struct StepFunctionsWorkflowStarter: WorkflowStarter {
    let sfn: StepFunctionsClient
    let stateMachineARN: String
    let retentionSeconds: Int

    /// Starts executions of `stateMachineARN` waiting `retentionSeconds` after completion.
    public init(sfn: StepFunctionsClient, stateMachineARN: String, retentionSeconds: Int) {
        self.sfn = sfn
        self.stateMachineARN = stateMachineARN
        self.retentionSeconds = retentionSeconds
    }

    /// The execution input: the job, and when to archive it (as seconds and as a timestamp).
    public static func input(jobID: String, completeTime: Int, retentionSeconds: Int) throws -> String {
        struct Input: Encodable {
            var job_id: String
            var complete_time: Int
            var retention_seconds: Int
            var archive_at: String
        }
        let archiveAt = AMZDate(Date(timeIntervalSince1970: TimeInterval(completeTime + retentionSeconds))).iso8601
        let input = Input(job_id: jobID, complete_time: completeTime, retention_seconds: retentionSeconds, archive_at: archiveAt)
        return String(decoding: try JSONEncoder().encode(input), as: UTF8.self)
    }

    /// `archive-<job id>`, restricted to the characters execution names allow.
    public static func executionName(jobID: String) -> String {
        String(("archive-" + jobID).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }.prefix(80))
    }

    public func startArchive(jobID: String, completeTime: Int) async throws {
        let input = try Self.input(jobID: jobID, completeTime: completeTime, retentionSeconds: retentionSeconds)
        do {
            _ = try await sfn.startExecution(stateMachineARN: stateMachineARN, name: Self.executionName(jobID: jobID), input: input)
        } catch where error.code == "ExecutionAlreadyExists" {
            return  // started before: the archive is already scheduled
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }
}
