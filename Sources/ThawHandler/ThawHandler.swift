import GASHandlers
import LambdaCodable
import LambdaEvents
import LambdaRuntime
import Logging
import Workflows
import WorkflowsAWS

/// Consumes the upgrade queue (SNS envelopes of `{"user_id": "…", "requested_at": …}`), starts
/// the retrievals, then clears the user's thaw request (the front re-sends it until then).
struct ThawLambda: LambdaHandler {
    struct Upgrade: Decodable {
        var user_id: String
        var requested_at: Int?
    }

    let workflow: ThawWorkflow
    let users: DynamoDBUserDirectory

    func handle(_ event: SQSEvent, context: LambdaContext) async throws -> SQSBatchResponse {
        await event.process(context: context) { record in
            let upgrade = try record.payload(Upgrade.self)
            let outcomes = try await workflow.logging(to: context.logger).run(userID: upgrade.user_id)
            try await users.finishThawRequest(userID: upgrade.user_id, requestedAt: upgrade.requested_at)
            context.logger.info("thawed", metadata: ["user.id": "\(upgrade.user_id)", "jobs": "\(outcomes.count)"])
            let started = outcomes.values.filter { if case .started = $0 { true } else { false } }.count
            MetricLine.write(["JobsThawed": started], context: context)
        }
    }
}

@main
enum ThawHandler {
    static func main() async {
        await Lambda.main { logger in
            let services = try GASServices(environment: LambdaRuntime.processEnvironment(), requiredWithVault: ["RETRIEVAL_TOPIC_ARN"], logger: logger)
            return ThawLambda(workflow: ThawWorkflow(jobs: services.jobs, cold: services.cold, logger: logger), users: services.users)
        }
    }
}
