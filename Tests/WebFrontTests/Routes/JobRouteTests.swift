import AWSDynamoDB
import AWSSigV4
import Foundation
import HTTPTransport
import LocalLambda
import Testing

@testable import WebFront

/// The job list, details, log and downloads, their ownership checks, and the error pages.
@Suite struct JobRouteTests {
    static let ada = AuthRouteTests.ada
    static let bob = TestIssuer.User(sub: "7d2e91b0-bob", email: "bob@example.org", name: "Bob")

    static func id() -> String { UUID().uuidString.lowercased() }

    @Test(arguments: WebHost.allCases)
    func theListShowsEveryJobNewestFirstAcrossPages(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start(listPageSize: 2)
        let ids = (0..<5).map { _ in Self.id() }
        for (index, id) in ids.enumerated() {
            try await fixture.putJob(id, user: Self.ada.sub, status: index == 4 ? "RUNNING" : "COMPLETED", submitted: 1_751_000_000 + index * 60)
        }
        try await fixture.putJob(Self.id(), user: Self.bob.sub)
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.ada)
            let page = try await browser.get("/annotations")
            #expect(page.status == 200)
            let shown = ids.compactMap { id in page.text.range(of: "/annotations/\(id)\"").map { (id, $0.lowerBound) } }
            #expect(shown.count == 5, "every job across pages of two")
            #expect(shown.sorted { $0.1 < $1.1 }.map(\.0) == ids.reversed(), "newest first")
            #expect(page.text.components(separatedBy: "<tr><td>").count - 1 == 5, "no one else's job")
            #expect(page.text.contains("http-equiv=\"refresh\""), "a RUNNING job refreshes the list")
            // 1_751_000_000 is 2025-06-27 04:53:20 UTC: 23:53:20 in Chicago (CDT).
            #expect(page.text.contains("2025-06-26 @ 23:53:20 CDT"))
        }
    }

    @Test(arguments: WebHost.allCases)
    func detailsLogAndDownloadsAreTheOwnersAndDownloadsAreFreshPresignedURLs(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        let id = Self.id()
        let result = Array("##fileformat=VCFv4.2\nchr1\t1\t.\tA\tG\t.\tPASS\tGENE=<i>x</i>\n".utf8)
        try await fixture.putJob(id, user: Self.ada.sub, fileName: "<script>alert(1)</script>.vcf", result: result, log: "<b>13 variants</b>\n")
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.ada)
            let details = try await browser.get("/annotations/\(id)")
            #expect(details.status == 200)
            #expect(details.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;.vcf") && !details.text.contains("<script>alert(1)"))
            #expect(details.text.contains("href=\"/annotations/\(id)/result\">download</a>"))
            let log = try await browser.get("/annotations/\(id)/log")
            #expect(log.status == 200 && log.text.contains("&lt;b&gt;13 variants&lt;/b&gt;"))

            let download = try await browser.get("/annotations/\(id)/result")
            #expect(download.status == 303)
            let url = try #require(download.location)
            #expect(url.hasPrefix(fixture.endpoint.url + "/") && url.contains("X-Amz-Expires=60"))
            let fetched = try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: url))
            #expect(fetched.status == 200 && fetched.body == result)
            // The signature covers the key: another object under it is refused by the local S3.
            let tampered = url.replacingOccurrences(of: ".annot.vcf", with: ".count.log")
            let refused = try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: tampered))
            #expect(refused.status == 403 && String(decoding: refused.body, as: UTF8.self).contains("<Code>SignatureDoesNotMatch</Code>"))
            let input = try await browser.get("/annotations/\(id)/input")
            let inputFile = try await CurlHTTPClient().send(HTTPRequest(method: "GET", url: try #require(input.location)))
            #expect(inputFile.status == 200 && inputFile.body == Array("##fileformat=VCFv4.2\n".utf8))
        }
    }

    @Test(arguments: WebHost.allCases)
    func anotherUserGets403AndAMissingJob404OnEveryJobRoute(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        let id = Self.id()
        try await fixture.putJob(id, user: Self.ada.sub)
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.bob)
            for suffix in ["", "/log", "/input", "/result"] {
                let forbidden = try await browser.get("/annotations/\(id)\(suffix)")
                #expect(forbidden.status == 403 && forbidden.text.contains("Not authorized"), "\(suffix)")
                #expect(forbidden.header("content-type")?.hasPrefix("text/html") == true && forbidden.text.contains("<nav"))
                let missing = try await browser.get("/annotations/\(Self.id())\(suffix)")
                #expect(missing.status == 404 && missing.text.contains("Page not found"), "\(suffix)")
                #expect(try await browser.get("/annotations/not-a-job\(suffix)").status == 404)
                let posted = try await browser.post("/annotations/\(id)\(suffix)", [])
                #expect(posted.status == 405 && posted.header("allow") == "GET", "\(suffix)")
            }
        }
    }

    @Test(arguments: WebHost.allCases)
    func resultsCellsFollowTheStoredStorageState(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        let archived = Self.id(), restoring = Self.id(), failed = Self.id(), failedRestore = Self.id()
        try await fixture.putJob(archived, user: Self.ada.sub, extra: ["results_storage": .s("ARCHIVED"), "results_file_archive_id": .s("glacier:abc")])
        try await fixture.putJob(
            restoring, user: Self.ada.sub,
            extra: ["results_storage": .s("RESTORING"), "results_file_archive_id": .s("glacier:abc"), "retrieval_id": .s("r1"), "retrieval_tier": .s("Standard")])
        try await fixture.putJob(failed, user: Self.ada.sub, status: "FAILED", extra: ["failure_reason": .s("The file is not a VCF: <line 1>")])
        try await fixture.putJob(
            failedRestore, user: Self.ada.sub, extra: ["results_storage": .s("ARCHIVED"), "results_file_archive_id": .s("glacier:abc"), "restore_failure": .s("expired")])
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.ada)
            #expect(try await browser.get("/annotations/\(archived)").text.contains("upgrade to Premium for download"))
            let redirected = try await browser.get("/annotations/\(archived)/result")
            #expect(redirected.location == "/annotations/\(archived)", "an archived result is not downloadable")
            let page = try await browser.get("/annotations/\(restoring)")
            #expect(page.text.contains("class=\"restoring\"") && page.text.contains("http-equiv=\"refresh\""))
            #expect(try await browser.get("/annotations/\(failed)").text.contains("The file is not a VCF: &lt;line 1&gt;"))
            #expect(try await browser.get("/annotations/\(failed)/result").status == 404)
            #expect(try await browser.get("/annotations/\(failedRestore)").text.contains("class=\"restoring\""))
        }
    }

    @Test(arguments: WebHost.allCases)
    func errorPagesAreHTMLInTheLayoutWithARequestIDAndNoInternals(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { browser in
            let home = try await browser.get("/")
            #expect(home.status == 200 && home.text.contains("/static/gas.css"))
            let css = try await browser.get("/static/gas.css")
            #expect(css.status == 200 && css.header("content-type")?.hasPrefix("text/css") == true)
            #expect(try await browser.get("/healthz").text == "ok")
            let missing = try await browser.get("/no/such/page")
            #expect(missing.status == 404 && missing.text.contains("Page not found") && missing.text.contains("<nav"))
            let wrongMethod = try await browser.request("DELETE", "/annotate")
            #expect(wrongMethod.status == 405 && wrongMethod.text.contains("Not allowed") && wrongMethod.header("allow") == "GET")

            try await browser.logIn(Self.ada)
            try await fixture.db.deleteTable(fixture.configuration.annotationsTable)
            let broken = try await browser.get("/annotations")
            #expect(broken.status == 500 && broken.text.contains("Server error"))
            #expect(broken.text.contains("Error 500 · request "))
            for leak in ["ResourceNotFound", "AWSError", "dynamodb", "Swift", "{\""] {
                #expect(!broken.text.contains(leak), "\(leak) leaked into the page")
            }
        }
    }
}
