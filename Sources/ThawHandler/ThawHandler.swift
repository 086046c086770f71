import GASHandlers
import LambdaCodable
import LambdaEvents
import LambdaRuntime
import Logging
import Workflows

/// Consumes the upgrade queue (SNS envelopes of `{"user_id": "…"}`) and starts retrievals.
struct ThawLambda: LambdaHandler {
    struct Upgrade: Decodable { var user_id: String }

    let workflow: ThawWorkflow

    func handle(_ event: SQSEvent, context: LambdaContext) async throws -> SQSBatchResponse {
        await event.process(logger: context.logger) { record in
            let upgrade = try record.payload(Upgrade.self)
            let outcomes = try await workflow.logging(to: context.logger).run(userID: upgrade.user_id)
            context.logger.info("thawed", metadata: ["user.id": "\(upgrade.user_id)", "jobs": "\(outcomes.count)"])
        }
    }
}

@main
enum ThawHandler {
    static func main() async {
        await Lambda.main { logger in
            let services = try GASServices(environment: LambdaRuntime.processEnvironment(), logger: logger)
            return ThawLambda(workflow: ThawWorkflow(jobs: services.jobs, cold: services.cold, logger: logger))
        }
    }
}
