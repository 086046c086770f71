import GASHandlers
import LambdaCodable
import LambdaRuntime
import Logging
import Workflows

/// Invoked by the archive state machine after the retention wait: `{"job_id": "…"}`.
struct ArchiveLambda: LambdaHandler {
    struct Request: Decodable, Sendable { var job_id: String }
    struct Response: Codable, Sendable, Equatable {
        var job_id: String
        var outcome: String
    }

    let workflow: ArchiveWorkflow

    func handle(_ request: Request, context: LambdaContext) async throws -> Response {
        do {
            let outcome = try await workflow.logging(to: context.logger).run(jobID: request.job_id)
            if outcome == .archived { MetricLine.write(["JobsArchived": 1], context: context) }
            return Response(job_id: request.job_id, outcome: outcome.rawValue)
        } catch {
            throw HandlerFailure(error)
        }
    }
}

@main
enum ArchiveHandler {
    static func main() async {
        await Lambda.main { logger in
            let services = try GASServices(environment: LambdaRuntime.processEnvironment(), logger: logger)
            return ArchiveLambda(
                workflow: ArchiveWorkflow(jobs: services.jobs, users: services.users, objects: services.objects, cold: services.cold, logger: logger))
        }
    }
}
