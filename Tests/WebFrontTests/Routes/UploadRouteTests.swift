import AWSCore
import AWSDynamoDB
import AWSS3
import AWSSQS
import AWSSigV4
import Foundation
import HTTPTransport
import LocalStack
import TestSupport
import Testing

@testable import WebFront

/// The profile form and the upload path: the presigned form, the browser's POST to (local) S3,
/// the redirect back, and every forged or oversized submit.
@Suite struct UploadRouteTests {
    static let ada = AuthRouteTests.ada

    @Test(arguments: WebHost.allCases)
    func theProfileFormNeedsItsTokenAndShowsWhatItSavedAsText(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.ada)
            let token = try #require(Browser.csrf(in: try await browser.get("/profile")))
            let fields = [("name", "<script>alert(1)</script>"), ("email", "ada@example.org"), ("institution", "O'Brien & \"Co\"")]
            for (why, form, origin) in [
                ("no token", fields, ""), ("a wrong token", fields + [("csrf_token", (token.hasPrefix("x") ? "y" : "x") + token.dropFirst())], ""),
                ("another origin", fields + [("csrf_token", token)], "https://evil.example"),
            ] {
                let refused = try await browser.post("/profile", form, origin: origin)
                #expect(refused.status == 400 && refused.text.contains("Cross-Site Request Forgery error detected"), "\(why): \(refused.status) \(refused.text.prefix(200))")
                #expect(refused.header("content-type")?.hasPrefix("text/html") == true)
            }
            #expect(try await fixture.db.getItem(table: fixture.configuration.usersTable, key: ["user_id": .s(Self.ada.sub)])?["name"]?.string == "Ada Lovelace")

            let saved = try await browser.post("/profile", fields + [("csrf_token", token)])
            #expect(saved.status == 303 && saved.location == "/profile")
            let page = try await browser.get("/profile")
            #expect(page.text.contains("Thank you! Your profile has been successfully updated."))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.text.contains("<script>alert(1)"))
            #expect(page.text.contains("O&#39;Brien &amp; &quot;Co&quot;"))
            let bad = try await browser.post("/profile", [("name", ""), ("email", "not-an-address"), ("csrf_token", token)])
            #expect(bad.status == 400 && bad.text.lowercased().contains("email"))
            let put = try await browser.request("PUT", "/profile")
            #expect(put.status == 405 && put.header("allow") == "GET, POST")
        }
    }

    /// What the browser posts to S3: the page's fields in order, then the file.
    func upload(_ page: Answer, file: [UInt8], named name: String) async throws -> HTTPResponse {
        let (action, inputs) = try #require(Browser.form("upload", in: page.text))
        let fields = inputs.filter { $0.name != "file" }.map { ($0.name, $0.value) }
        return try await CurlHTTPClient().send(
            HTTPRequest(
                method: "POST", url: action, headers: [("Content-Type", MultipartBody.contentType)],
                body: .bytes(MultipartBody(fields, file: file, fileName: name).bytes), totalTimeout: 30))
    }

    @Test(arguments: WebHost.allCases)
    func anUploadBecomesOneJobAndOneRequestHoweverOftenTheRedirectIsLoaded(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.ada)
            let form = try await browser.get("/annotate")
            #expect(form.status == 200)
            let fields = Dictionary(Browser.inputs(in: form.text).map { ($0.name, $0.value) }) { a, _ in a }
            let prefix = fixture.configuration.inputsPrefix + Self.ada.sub + "/"
            #expect(fields["key"]?.hasPrefix(prefix) == true && fields["key"]?.hasSuffix("~${filename}") == true)
            #expect(fields["success_action_redirect"] == WebFixture.baseURL + "/annotate/job")
            #expect(fields["acl"] == "private" && fields["x-amz-server-side-encryption"] == "AES256")
            let policy = String(decoding: try #require(Data(base64Encoded: fields["policy"] ?? "")), as: UTF8.self)
            #expect(policy.contains(#"["content-length-range", 0, 153600]"#))
            #expect(!form.text.contains("testing\""), "no secret reaches the browser")

            let vcf = Array("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t1\t.\tA\tG\t.\tPASS\t.\n".utf8)
            let stored = try await upload(form, file: vcf, named: "<img src=x onerror=alert(1)>.vcf")
            #expect(stored.status == 303)
            let redirect = try #require(stored.header("Location"))
            #expect(redirect.hasPrefix(WebFixture.baseURL + "/annotate/job?"))
            let target = String(redirect.dropFirst(WebFixture.baseURL.count))
            let submitted = try await browser.get(target)
            #expect(submitted.status == 200 && submitted.text.contains("&lt;img src=x onerror=alert(1)&gt;.vcf"))
            let again = try await browser.get(target)
            #expect(again.status == 200)

            let jobs = try await fixture.scan(fixture.configuration.annotationsTable)
            #expect(jobs.count == 1)
            let job = try #require(jobs.first)
            #expect(job["job_status"]?.string == "PENDING" && job["user_id"]?.string == Self.ada.sub && job["request_unpublished_at"] == nil)
            #expect(job["input_file_name"]?.string == "<img src=x onerror=alert(1)>.vcf")
            let queue = try #require(fixture.stack.references["AnnotateQueue"])
            let messages = try await SQSClient(client: fixture.aws).receiveMessages(queueURL: queue, waitSeconds: 2)
            #expect(messages.count == 1 && messages.first?.body.contains(job["job_id"]?.string ?? "?") == true)
        }
    }

    @Test(arguments: WebHost.allCases)
    func oversizedForgedAndMissingUploadsCreateNoJob(_ host: WebHost) async throws {
        let fixture = try await WebFixture.start()
        try await host.run(fixture) { browser in
            try await browser.logIn(Self.ada)
            let form = try await browser.get("/annotate")
            #expect(form.text.contains("153600") || form.text.contains("150 KB"))
            // Over the free limit: the local S3 refuses it as S3 does, nothing is stored.
            let tooLarge = try await upload(form, file: [UInt8](repeating: 65, count: 153_601), named: "big.vcf")
            #expect(tooLarge.status == 400 && String(decoding: tooLarge.body, as: UTF8.self).contains("<Code>EntityTooLarge</Code>"))
            #expect(try await fixture.s3.listObjectsV2(bucket: fixture.configuration.inputsBucket).objects.isEmpty)

            let prefix = fixture.configuration.inputsPrefix
            let id = UUID().uuidString.lowercased()
            // Another user's prefix.
            let other = try await browser.get("/annotate/job?key=" + URIEncoding.encode("\(prefix)someone-else/\(id)~x.vcf"))
            #expect(other.status == 403 && other.text.contains("Not authorized"))
            // No such object.
            let missing = try await browser.get("/annotate/job?key=" + URIEncoding.encode("\(prefix)\(Self.ada.sub)/\(id)~x.vcf"))
            #expect(missing.status == 404)
            // An object over the limit put there some other way.
            let key = "\(prefix)\(Self.ada.sub)/\(id)~big.vcf"
            try await fixture.s3.putObject(bucket: fixture.configuration.inputsBucket, key: key, body: .bytes([UInt8](repeating: 65, count: 200_000)))
            let oversized = try await browser.get("/annotate/job?key=" + URIEncoding.encode(key))
            #expect(oversized.status == 400)
            // Not a key of the form at all.
            #expect(try await browser.get("/annotate/job?key=" + URIEncoding.encode("\(prefix)\(Self.ada.sub)/not-a-uuid~x.vcf")).status == 400)
            #expect(try await browser.get("/annotate/job").status == 400)
            #expect(try await fixture.scan(fixture.configuration.annotationsTable).isEmpty)
        }
    }
}
