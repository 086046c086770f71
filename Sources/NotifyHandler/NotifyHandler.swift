import GASHandlers
import LambdaCodable
import LambdaEvents
import LambdaRuntime
import Logging
import Workflows

/// Consumes the job-results queue (SNS envelopes of `{"job_id": "…"}`) and emails each owner once.
struct NotifyLambda: LambdaHandler {
    struct Result: Decodable { var job_id: String }
    struct StillSending: Error {}

    let workflow: NotifyWorkflow

    func handle(_ event: SQSEvent, context: LambdaContext) async throws -> SQSBatchResponse {
        await event.process(context: context) { record in
            let result = try record.payload(Result.self)
            let now = Int(LambdaContext.nowMilliseconds() / 1000)
            // Another delivery holds the claim: fail this record so SQS retries it later.
            if try await workflow.logging(to: context.logger).run(jobID: result.job_id, now: now, deadline: context.deadlineSeconds) == .inProgress { throw StillSending() }
        }
    }
}

@main
enum NotifyHandler {
    static func main() async {
        await Lambda.main { logger in
            let services = try GASServices(environment: LambdaRuntime.processEnvironment(), required: ["MAIL_SENDER", "JOB_PAGE_BASE_URL"], logger: logger)
            return NotifyLambda(
                workflow: NotifyWorkflow(
                    jobs: services.jobs, ledger: services.jobs, users: services.users, mailer: services.mailer,
                    jobPageBaseURL: services.configuration.jobPageBaseURL ?? "", logger: logger))
        }
    }
}
