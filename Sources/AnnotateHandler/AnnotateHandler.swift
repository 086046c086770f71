import GASHandlers
import LambdaCodable
import LambdaEvents
import LambdaRuntime
import Logging
import Workflows

/// Consumes the job-requests queue (SNS envelopes of the web front's request) and annotates.
struct AnnotateLambda: LambdaHandler {
    struct Request: Decodable {
        var job_id: String
        var user_id: String
        var input_file_name: String
        var s3_inputs_bucket: String
        var s3_key_input_file: String
    }
    struct HeldElsewhere: Error {}

    let workflow: AnnotateWorkflow

    func handle(_ event: SQSEvent, context: LambdaContext) async throws -> SQSBatchResponse {
        await event.process(context: context) { record in
            let request = try record.payload(Request.self)
            let input = AnnotationInput(
                jobID: request.job_id, userID: request.user_id, input: ObjectLocation(bucket: request.s3_inputs_bucket, key: request.s3_key_input_file),
                inputFileName: request.input_file_name)
            let outcome = try await workflow.logging(to: context.logger).run(input, deadline: context.deadlineSeconds, clock: { Int(LambdaContext.nowMilliseconds() / 1000) })
            context.logger.info("annotation request", metadata: ["job.id": "\(request.job_id)", "outcome": "\(outcome.rawValue)"])
            if outcome == .completed { MetricLine.write(["JobsAnnotated": 1], context: context) }
            if outcome == .failed { MetricLine.write(["JobsFailed": 1], context: context) }
            // Another annotator holds a fresh claim: retry later rather than drop the request.
            if outcome == .inProgress { throw HeldElsewhere() }
        }
    }
}

@main
enum AnnotateHandler {
    static func main() async {
        await Lambda.main { logger in
            let environment = LambdaRuntime.processEnvironment()
            let services = try GASServices(environment: environment, logger: logger)
            return AnnotateLambda(workflow: try await services.annotateWorkflow(environment: environment, logger: logger))
        }
    }
}
