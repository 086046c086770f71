import AWSS3
import Logging
import AWSSigV4
import FoundationEssentials
import Hummingbird
import Workflows

/// `/annotate` (the upload form) and `/annotate/job` (where S3 sends the browser after the upload).
struct AnnotateController {
    let pages: Pages

    func add(to router: Router<WebContext>) {
        router.get("/annotate", use: form).only("/annotate", [.get])
        router.get("/annotate/job", use: submit).only("/annotate/job", [.get])
    }

    @Sendable func form(_ request: Request, context: WebContext) async throws -> Page {
        let user = try await pages.user(request, context: context)
        let configuration = pages.configuration
        let jobID = UUID().uuidString.lowercased()
        let limit = pages.services.uploadLimit.bytes(for: user.plan)
        let redirect = configuration.publicBaseURL + "/annotate/job"
        let fields: [(name: String, value: String)] = [
            ("acl", "private"), ("success_action_redirect", redirect), ("x-amz-server-side-encryption", "AES256"),
        ]
        var conditions: [S3PostPolicy.Condition] = fields.map { .equals($0.name, $0.value) }
        if let limit { conditions.append(.contentLengthRange(0, limit)) }
        let policy = try await pages.services.s3.presignedPost(
            bucket: configuration.inputsBucket, key: InputKey.template(prefix: configuration.inputsPrefix, userID: user.id, jobID: jobID),
            fields: fields, conditions: conditions, expires: configuration.presignSeconds)
        let page = AnnotatePage.render(
            action: policy.url.description, fields: policy.fields, limit: limit, message: pages.services.uploadLimit.freeMessage,
            expires: configuration.presignSeconds)
        return pages.render("Annotate", page, context: context, user: user)
    }

    @Sendable func submit(_ request: Request, context: WebContext) async throws -> Page {
        let user = try await pages.user(request, context: context)
        let configuration = pages.configuration
        // S3 (and moto) append bucket and key form-encoded: `+` is a space there.
        let query = FormFields(request.uri.query ?? "")
        guard let key = query["key"], !key.isEmpty else {
            throw PageError(status: .badRequest, message: "The upload did not say which file it stored (no key).")
        }
        if let bucket = query["bucket"], bucket != configuration.inputsBucket {
            throw PageError(status: .badRequest, message: "The upload went to another bucket.")
        }
        let input: InputKey
        do {
            input = try InputKey(parsing: key, prefix: configuration.inputsPrefix, userID: user.id)
        } catch .notYours {
            throw PageError.forbidden()
        } catch {
            throw PageError(status: .badRequest, message: "This is not an upload of the annotate form: \(error).")
        }
        let store = pages.services.store
        if let existing = try await store.job(input.jobID) {
            // A reloaded redirect: show the job as it is; never reset it or create it twice.
            guard existing.userID == user.id else { throw PageError.forbidden() }
            let queued = await pages.sendRequest(of: existing, context: context)
            return pages.render("Annotation Request Received", SubmittedPage.render(jobID: existing.id, fileName: existing.inputFileName, queued: queued), context: context, user: user)
        }
        guard let size = try await store.inputSize(key: key) else {
            throw PageError.notFound("No uploaded file was found under that key; please upload it again.")
        }
        guard pages.services.uploadLimit.allows(size: size, role: user.plan) else {
            throw PageError(status: .badRequest, message: pages.services.uploadLimit.freeMessage)
        }
        let location = ObjectLocation(bucket: configuration.inputsBucket, key: key)
        _ = try await store.createJob(id: input.jobID, userID: user.id, input: location, fileName: input.fileName, submitTime: Pages.now())
        guard let job = try await store.job(input.jobID), job.userID == user.id else { throw PageError.forbidden() }
        context.logger.info("job submitted", metadata: ["job.id": "\(job.id)", "user.id": "\(user.id)", "bytes": "\(size)"])
        let queued = await pages.sendRequest(of: job, context: context)
        return pages.render("Annotation Request Received", SubmittedPage.render(jobID: job.id, fileName: job.inputFileName, queued: queued), context: context, user: user)
    }
}
