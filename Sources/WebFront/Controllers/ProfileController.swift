import Hummingbird

/// `/profile`: the identity, name, email and institution, and the plan.
struct ProfileController {
    let pages: Pages

    func add(to router: Router<WebContext>) {
        router.get("/profile", use: show)
        pages.stateChanging(router).post("/profile", use: save)
        router.only("/profile", [.get, .post])
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Page {
        let user = try await pages.user(request, context: context, allowIncomplete: true)
        let next = request.uri.queryParameters["next"].map(String.init).flatMap { SafeRedirect.isSafe($0) ? $0 : nil }
        return pages.render("Profile", ProfilePage.render(profile: user, csrf: context.session.csrfToken(), next: next), context: context, user: user)
    }

    @Sendable func save(_ request: Request, context: WebContext) async throws -> Response {
        var user = try await pages.user(request, context: context, allowIncomplete: true)
        let form = try await FormFields.read(request, context: context)
        let next = form["next"].flatMap { SafeRedirect.isSafe($0) ? $0 : nil }
        switch ProfileForm.validate(name: form["name"], email: form["email"], institution: form["institution"]) {
        case .failure(let problems):
            user.name = form["name"] ?? ""
            user.email = form["email"] ?? ""
            user.institution = form["institution"] ?? ""
            let page = ProfilePage.render(profile: user, csrf: context.session.csrfToken(), next: next, problems: problems.messages)
            return try pages.render("Profile", page, context: context, user: user, status: .badRequest).response(from: request, context: context)
        case .success(let valid):
            try await pages.services.store.updateProfile(id: user.id, name: valid.name, email: valid.email, institution: valid.institution)
            context.session.flash("Thank you! Your profile has been successfully updated.", .success)
            return .redirect(to: next ?? "/profile", type: .normal)
        }
    }
}
