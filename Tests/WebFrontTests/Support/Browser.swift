import AWSSigV4
import Foundation
import Synchronization
import Testing

@testable import WebFront

/// A browser without a screen: a cookie jar, redirects followed only when asked, and the forms
/// and links of a page read from its HTML.
final class Browser: Sendable {
    typealias Send = @Sendable (_ method: String, _ target: String, _ headers: [(String, String)], _ body: [UInt8]) async throws -> Answer

    let fixture: WebFixture
    private let send: Send
    private let jar = Mutex<[String: String]>([:])

    init(fixture: WebFixture, send: @escaping Send) {
        self.fixture = fixture
        self.send = send
    }

    /// The cookies the browser holds now.
    var cookies: [String: String] {
        get { jar.withLock { $0 } }
        set { jar.withLock { $0 = newValue } }
    }

    var sessionID: String? { cookies["gas_session"] }

    func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> Answer {
        var headers = headers
        let cookie = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        if !cookie.isEmpty { headers.append(("Cookie", cookie)) }
        let answer = try await send(method, target, headers, body)
        for line in answer.setCookies {
            let pair = line.split(separator: ";", maxSplits: 1).first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let expired = line.lowercased().contains("max-age=0")
            jar.withLock { $0[String(parts[0])] = expired || parts[1].isEmpty ? nil : String(parts[1]) }
        }
        return answer
    }

    func get(_ target: String, headers: [(String, String)] = []) async throws -> Answer { try await request("GET", target, headers: headers) }

    /// Posts `fields` as a form, as a browser on this site does (with its Origin, unless `origin` says otherwise).
    func post(_ target: String, _ fields: [(String, String)], origin: String? = "") async throws -> Answer {
        let origin = origin == "" ? fixture.services.publicOrigin : origin
        let body = fields.map { URIEncoding.encode($0.0) + "=" + URIEncoding.encode($0.1) }.joined(separator: "&")
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let origin { headers.append(("Origin", origin)) }
        return try await request("POST", target, headers: headers, body: Array(body.utf8))
    }

    /// Follows same-site redirects from `answer` and answers the first page that is not one.
    func follow(_ answer: Answer) async throws -> Answer {
        var current = answer
        for _ in 0..<10 {
            guard (300..<400).contains(current.status), let location = current.location else { return current }
            let base = fixture.configuration.publicBaseURL
            let target = location.hasPrefix(base) ? String(location.dropFirst(base.count)) : location
            guard target.hasPrefix("/") else { return current }
            current = try await get(target)
        }
        Issue.record("redirect loop")
        return current
    }

    /// Logs in through the issuer as `user` from `start` (a page that needs login) and answers where the front sent the browser.
    @discardableResult
    func logIn(_ user: TestIssuer.User, from start: String = "/annotations") async throws -> Answer {
        var answer = try await get(start)
        if answer.location?.hasPrefix("/login") == true { answer = try await get(answer.location!) }
        let authorize = try #require(answer.location, "no redirect to the issuer: \(answer.status) \(answer.text.prefix(300))")
        let callback = try await fixture.issuer.authorize(authorize, as: user)
        return try await get(callback)
    }

    /// The CSRF token in a page's forms.
    static func csrf(in page: Answer) -> String? { inputs(in: page.text).first { $0.name == "csrf_token" }?.value }

    /// The `<input>` fields of `html`, unescaped, in order.
    static func inputs(in html: String) -> [(name: String, value: String)] {
        var found: [(String, String)] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<input") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[start.upperBound..<end]
            if let name = attribute("name", in: tag) { found.append((name, attribute("value", in: tag) ?? "")) }
            rest = rest[end...]
        }
        return found
    }

    /// The value of `name="…"` in a tag, unescaped.
    static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let range = tag.range(of: " \(name)=\"") else { return nil }
        let value = tag[range.upperBound...].prefix { $0 != "\"" }
        return String(value).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The action of the form with `id`, and its `<input>` fields.
    static func form(_ id: String, in html: String) -> (action: String, inputs: [(name: String, value: String)])? {
        guard let start = html.range(of: "<form id=\"\(id)\""), let end = html[start.upperBound...].firstIndex(of: ">"),
            let close = html[end...].range(of: "</form>"), let action = attribute("action", in: html[start.upperBound..<end])
        else { return nil }
        return (action, inputs(in: String(html[end..<close.lowerBound])))
    }
}
