import Workflows

/// `/profile`: the identity, the editable fields, and the current plan.
enum ProfilePage {
    static func render(profile: UserProfile, csrf: String, next: String?, problems: [String] = []) -> HTML {
        let plan: HTML
        switch profile.role {
        case .free?: plan = "Free · <a href=\"/subscribe\">upgrade to Premium</a>"
        case .premium?:
            plan = """
                Premium · <form method="post" action="/unsubscribe" class="inline"><input type="hidden" name="csrf_token" value="\(csrf)">\
                <button class="link">cancel the subscription</button></form>
                """
        case nil: plan = "Unknown (please contact support)"
        }
        let errors: HTML = problems.isEmpty ? "" : "<div class=\"flash danger\" role=\"alert\">\(problems.map { "<p>\($0)</p>" as HTML })</div>"
        let nextField: HTML = next.map { "<input type=\"hidden\" name=\"next\" value=\"\($0)\">" } ?? ""
        return """
            <h1>Profile</h1>
            \(errors)
            <section class="card"><dl><dt>Identity</dt><dd>\(profile.id)</dd><dt>Current Plan</dt><dd>\(plan)</dd></dl></section>
            <form method="post" action="/profile" class="card">
            <input type="hidden" name="csrf_token" value="\(csrf)">\(nextField)
            <label for="name">Name</label><input type="text" id="name" name="name" value="\(profile.name)" required maxlength="\(ProfileForm.maxLength)">
            <label for="email">Email</label><input type="email" id="email" name="email" value="\(profile.email)" required maxlength="\(ProfileForm.maxLength)">
            <label for="institution">Institution</label><input type="text" id="institution" name="institution" value="\(profile.institution)" required maxlength="\(ProfileForm.maxLength)">
            <button type="submit">Save</button>
            </form>
            """
    }
}
