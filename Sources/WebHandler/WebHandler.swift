import LambdaRuntime
import Logging
import WebFront

/// The web front as a Lambda function behind an API Gateway HTTP API (payload format 2.0), on the
/// project's runtime; an EventBridge schedule invokes it too, to re-send unpublished requests.
@main
enum WebHandler {
    static func main() async {
        await Lambda.main { logger in
            let services = try await WebServices.fromEnvironment(LambdaRuntime.processEnvironment(), logger: logger)
            let adapter = APIGatewayV2Adapter(router: WebRouter.build(services))
            let sweep = RequestSweep(store: services.store)
            return ClosureRawLambdaHandler { event, context in
                if APIGatewayV2Adapter.isHTTPEvent(event) {
                    return await adapter.handle(event, requestID: context.requestID, logger: context.logger)
                }
                let sent = try await sweep.run(logger: context.logger)
                return Array(#"{"resent":\#(sent)}"#.utf8)
            }
        }
    }
}
