import AWSSigV4
import FoundationEssentials
import HTTPTransport

extension AWSClient {
    /// Calls an `application/x-amz-json-1.0` operation (DynamoDB, SQS, Step Functions), or with
    /// `version: "1.1"` one of the JSON 1.1 services (Secrets Manager).
    public func json<Output: Decodable>(
        _ service: AWSService, target: String, input: some Encodable, idempotent: Bool, timeout: Double? = 60, version: String = "1.0",
        as output: Output.Type = Output.self
    ) async throws(AWSError) -> Output {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(input))
        } catch {
            throw AWSError.invalidParameter(service.name, target, "an encodable input (\(error))")
        }
        let request = AWSRequest(
            service: service, method: "POST", url: try url(for: service),
            headers: [("Content-Type", "application/x-amz-json-" + version), ("X-Amz-Target", target)], body: .bytes(body),
            idempotent: idempotent, timeout: timeout, stallTimeout: max(30, timeout ?? 30))
        let response = try await send(request)
        return try decodeJSON(Output.self, from: response, service: service)
    }

    /// Calls an AWS query-protocol operation (SNS) and answers the `<Action>Result` element.
    public func query(
        _ service: AWSService, action: String, version: String, parameters: [(name: String, value: String)], idempotent: Bool
    ) async throws(AWSError) -> XMLNode {
        let form = ([("Action", action), ("Version", version)] + parameters)
            .map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }
            .joined(separator: "&")
        let request = AWSRequest(
            service: service, method: "POST", url: try url(for: service),
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: .bytes(Array(form.utf8)),
            idempotent: idempotent)
        let response = try await send(request)
        let root = try decodeXML(response, service: service)
        guard root.name == "\(action)Response" else {
            throw AWSError.malformed(service.name, "expected <\(action)Response>, got <\(root.name)>", requestID: requestID(response))
        }
        // Actions with no output (PutUserPolicy, …) answer an empty response element.
        return root.child("\(action)Result") ?? XMLNode(name: "\(action)Result")
    }

    /// `application/x-www-form-urlencoded` as botocore writes it (space as `+`), so a server that
    /// re-encodes the parsed form to check the signature gets the same bytes.
    static func formEncode(_ text: String) -> String {
        URIEncoding.encode(text).replacing("%20", with: "+")
    }

    /// Decodes a JSON body, turning any mismatch into `MalformedResponse`.
    public func decodeJSON<Output: Decodable>(_ type: Output.Type, from response: HTTPResponse, service: AWSService) throws(AWSError) -> Output {
        let body = response.body.isEmpty ? Array("{}".utf8) : response.body
        do {
            return try JSONDecoder().decode(Output.self, from: Data(body))
        } catch {
            throw AWSError.malformed(service.name, "unexpected JSON: \(error)", status: response.status, requestID: requestID(response))
        }
    }

    /// Parses an XML body, turning any syntax error into `MalformedResponse`.
    public func decodeXML(_ response: HTTPResponse, service: AWSService) throws(AWSError) -> XMLNode {
        do {
            return try XMLNode.parse(response.body)
        } catch {
            throw AWSError.malformed(service.name, error.description, status: response.status, requestID: requestID(response))
        }
    }

    /// The response's AWS request id header.
    public func requestID(_ response: HTTPResponse) -> String? {
        response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
    }
}

/// An empty JSON object, as input or output of operations that take or give nothing.
public struct EmptyJSON: Codable, Sendable {
    /// Creates one.
    public init() {}
}
