import Logging
import Hummingbird
import Workflows

/// `/annotations` and every `/annotations/<id>` route; each `<id>` route checks ownership first.
struct JobsController {
    let pages: Pages
    static let logLimit = 1 << 20

    func add(to router: Router<WebContext>) {
        router.get("/annotations", use: list).only("/annotations", [.get])
        router.get("/annotations/:id", use: details).only("/annotations/:id", [.get])
        router.get("/annotations/:id/log", use: log).only("/annotations/:id/log", [.get])
        router.get("/annotations/:id/input", use: input).only("/annotations/:id/input", [.get])
        router.get("/annotations/:id/result", use: result).only("/annotations/:id/result", [.get])
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Page {
        let user = try await pages.user(request, context: context)
        var jobs = try await pages.services.store.jobs(of: user.id)
        for index in jobs.indices where jobs[index].requestUnpublishedSince != nil {
            if await pages.sendRequest(of: jobs[index], minimumAge: 5, context: context) { jobs[index].requestUnpublishedSince = nil }
        }
        let busy = jobs.contains { $0.status == .pending || $0.status == .running }
        return pages.render("My Annotations", JobPages.list(jobs, time: pages.configuration.timeZone), context: context, user: user, refresh: busy ? 5 : nil)
    }

    @Sendable func details(_ request: Request, context: WebContext) async throws -> Page {
        let (user, job) = try await owned(request, context: context)
        _ = await pages.sendRequest(of: job, minimumAge: 5, context: context)
        let cell = job.status == .completed ? ResultsCell.decide(storage: job.storage, restoreFailed: job.restoreFailure != nil, role: user.plan) : nil
        let changing = job.status == .pending || job.status == .running || cell?.isTransient == true
        let page = JobPages.details(job, cell: cell, time: pages.configuration.timeZone)
        return pages.render("Annotation Details", page, context: context, user: user, refresh: changing ? 5 : nil)
    }

    @Sendable func log(_ request: Request, context: WebContext) async throws -> Page {
        let (user, job) = try await owned(request, context: context)
        guard let location = job.log else { throw PageError.notFound("This job has no log yet.") }
        let text = try await pages.services.store.logText(location, limit: Self.logLimit)
        return pages.render("Annotation Log", JobPages.log(job, text: text, truncated: text.utf8.count >= Self.logLimit), context: context, user: user)
    }

    @Sendable func input(_ request: Request, context: WebContext) async throws -> Response {
        let (_, job) = try await owned(request, context: context)
        let url = try await pages.services.store.downloadURL(job.input, fileName: job.inputFileName)
        return .redirect(to: url, type: .normal)
    }

    @Sendable func result(_ request: Request, context: WebContext) async throws -> Response {
        let (user, job) = try await owned(request, context: context)
        guard job.status == .completed, let location = job.result else { throw PageError.notFound("This job has no results file yet.") }
        let cell = ResultsCell.decide(storage: job.storage, restoreFailed: job.restoreFailure != nil, role: user.plan)
        guard cell == .download else {
            context.session.flash(cell == .upgradeToDownload ? "This results file is archived: upgrade to Premium for download." : cell.message ?? "", .warning)
            return .redirect(to: "/annotations/\(job.id)", type: .normal)
        }
        let name = location.key.split(separator: "/").last.map { String($0.split(separator: "~", maxSplits: 1).last ?? $0) } ?? "results.vcf"
        return .redirect(to: try await pages.services.store.downloadURL(location, fileName: name), type: .normal)
    }

    /// The logged-in user and the job `:id`, which must be theirs (403 otherwise, 404 when missing).
    func owned(_ request: Request, context: WebContext) async throws -> (UserProfile, JobRecord) {
        let user = try await pages.user(request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard InputKey.isUUID(id) else { throw PageError.notFound("There is no annotation job with that id.") }
        let job = try await pages.services.store.job(id)
        switch JobAccess.decide(viewer: user.id, owner: job?.userID) {
        case .allowed: return (user, job!)
        case .forbidden: throw PageError.forbidden()
        case .notFound: throw PageError.notFound("There is no annotation job with that id.")
        }
    }
}
