import Hummingbird

/// Ends a request with a redirect (login needed, profile incomplete), from anywhere in a handler.
struct RedirectError: Error {
    var location: String
}

/// An error page with its status and a message for the user.
struct PageError: Error {
    var status: HTTPResponse.Status
    var message: String?
    /// For 405: the methods the path takes.
    var allow: String?

    static func forbidden() -> PageError { PageError(status: .forbidden, message: "You are not authorized to view this page.") }
    static func notFound(_ what: String = "The page you asked for does not exist.") -> PageError { PageError(status: .notFound, message: what) }
}
