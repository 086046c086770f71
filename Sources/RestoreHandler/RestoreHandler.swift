import GASHandlers
import LambdaCodable
import LambdaEvents
import LambdaRuntime
import Logging
import Workflows
import WorkflowsAWS

/// Consumes the retrieval-completed queue: Glacier job notifications (vault backend) and
/// `s3:ObjectRestore:Completed` events (storage-class backend), each directly or in an SNS envelope.
struct RestoreLambda: LambdaHandler {
    let workflow: RestoreWorkflow

    func handle(_ event: SQSEvent, context: LambdaContext) async throws -> SQSBatchResponse {
        await event.process(context: context) { record in
            for (jobID, completion) in try RetrievalCompletions.parse(record) {
                let outcome = try await workflow.logging(to: context.logger).run(jobID: jobID, completion: completion)
                context.logger.info("restore", metadata: ["job.id": "\(jobID)", "outcome": "\(outcome.rawValue)"])
                if outcome == .restored { MetricLine.write(["JobsRestored": 1], context: context) }
            }
        }
    }
}

@main
enum RestoreHandler {
    static func main() async {
        await Lambda.main { logger in
            let services = try GASServices(environment: LambdaRuntime.processEnvironment(), logger: logger)
            return RestoreLambda(workflow: RestoreWorkflow(jobs: services.jobs, objects: services.objects, cold: services.cold, logger: logger))
        }
    }
}
