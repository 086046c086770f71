@testable import AWSCore
import HTTPTransport
import Testing

@Suite struct AWSErrorDecodingTests {
    private func response(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func decodesJSONTypeWithNamespacePrefix() {
        let error = AWSError.decode(
            response(
                400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"s":{"S":"x"}}}"#,
                headers: [("x-amzn-RequestId", "RID1")]), service: "dynamodb")
        #expect(error.code == "ConditionalCheckFailedException")
        #expect(error.message == "The conditional request failed")
        #expect(error.requestID == "RID1")
        #expect(error.status == 400)
        #expect(error.details == #"{"Item":{"s":{"S":"x"}}}"#)
    }

    @Test func decodesS3XML() {
        let body = "<?xml version=\"1.0\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a&amp;b</Key><RequestId>R2</RequestId></Error>"
        let error = AWSError.decode(response(404, body, headers: [("x-amz-request-id", "R2H")]), service: "s3")
        #expect(error.code == "NoSuchKey")
        #expect(error.message == "The specified key does not exist.")
        #expect(error.requestID == "R2H")
    }

    @Test func decodesQueryProtocolXML() {
        let body = """
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code>\
            <Message>Topic does not exist</Message></Error><RequestId>R3</RequestId></ErrorResponse>
            """
        let error = AWSError.decode(response(404, body), service: "sns")
        #expect(error.code == "NotFound")
        #expect(error.requestID == "R3")
    }

    @Test func decodesHeaderOnlyAndEmptyBodies() {
        let header = AWSError.decode(response(400, "", headers: [("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/")]), service: "states")
        #expect(header.code == "ValidationException")
        let head = AWSError.decode(response(404, ""), service: "s3")
        #expect(head.code == "NotFound")
        #expect(head.message.contains("404"))
        let glacier = AWSError.decode(response(404, #"{"code":"ResourceNotFoundException","message":"no job","type":"Client"}"#), service: "glacier")
        #expect(glacier.code == "ResourceNotFoundException")
    }

    @Test(arguments: ["{\"__type\":\"Thr", "<Error><Code>Slow", "\u{0}\u{1}binary", "<a></b>"])
    func truncatedOrGarbledBodiesStillGiveAnError(_ body: String) {
        let error = AWSError.decode(response(503, body), service: "s3")
        #expect(error.status == 503)
        #expect(error.code == "ServiceUnavailable")
    }
}

@Suite struct XMLNodeTests {
    @Test func parsesElementsEntitiesAndCDATA() throws {
        let doc = #"<?xml version="1.0" encoding="UTF-8"?><!-- c --><r xmlns="x" a='1'><s3:k>a &lt;&#65;&#x42;&gt; <![CDATA[<raw>]]></s3:k><e/><k>2</k></r>"#
        let root = try XMLNode.parse(Array(doc.utf8))
        #expect(root.name == "r")
        #expect(root.child("k")?.text == "a <AB> <raw>")
        #expect(root.children("k").count == 2)
        #expect(root.child("e")?.text == "")
        #expect(root.descendant("e") != nil)
    }

    @Test(arguments: ["", "<a>", "<a></b>", "<a>&bogus;</a>", "<a b=c></a>", "<a></a><b></b>", "text"])
    func rejectsMalformedDocuments(_ doc: String) {
        #expect(throws: XMLParseError.self) { try XMLNode.parse(Array(doc.utf8)) }
    }

    @Test func writerEscapes() {
        var writer = XMLWriter()
        writer.open("A", namespace: "n")
        writer.element("K", "a<b>&\"'")
        writer.close("A")
        #expect(String(decoding: writer.bytes, as: UTF8.self).hasSuffix(#"<A xmlns="n"><K>a&lt;b&gt;&amp;&quot;&apos;</K></A>"#))
    }
}
