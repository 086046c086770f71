import GASHandlers
import LambdaCodable
import LambdaRuntime
import Logging
import Workflows
import WorkflowsAWS

/// Invoked on a schedule (an EventBridge `Scheduled Event`, whose content it ignores): one
/// reconciliation pass, answered and counted as the repairs it made.
struct ReconcileLambda: LambdaHandler {
    struct Tick: Decodable, Sendable {}
    struct Report: Codable, Sendable, Equatable { var repairs: [String: Int] }

    let workflow: ReconcileWorkflow

    func handle(_ tick: Tick, context: LambdaContext) async throws -> Report {
        do {
            let repairs = try await workflow.logging(to: context.logger).run(now: Int(LambdaContext.nowMilliseconds() / 1000))
            MetricLine.write(namespace: "GAS", function: context.function.name, MetricLine.reconcilerMetrics(repairs))
            return Report(repairs: repairs)
        } catch {
            throw HandlerFailure(error)
        }
    }
}

@main
enum ReconcileHandler {
    static func main() async {
        await Lambda.main { logger in
            let environment = LambdaRuntime.processEnvironment()
            let services = try GASServices(environment: environment, logger: logger)
            let limits = try ReconcileLimits.read(environment)
            let routes = try ReconcileLimits.deadLetterRoutes(environment)
            return ReconcileLambda(
                workflow: ReconcileWorkflow(
                    source: DynamoDBReconcileSource(jobs: services.jobs, inventory: services.inventory), jobs: services.jobs, users: services.users,
                    objects: services.objects, cold: services.cold, probe: services.inventory,
                    deadLetters: routes.isEmpty ? nil : SQSDeadLetterQueues(client: services.aws, routes: routes), limits: limits, logger: logger))
        }
    }
}
