import AWSSigV4
import HTTPTransport

/// EC2 instance-role credentials over IMDSv2 (token first), falling back to IMDSv1 as botocore does.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    let environment: AWSEnvironment
    let http: any HTTPClient

    /// Uses `AWS_EC2_METADATA_SERVICE_ENDPOINT` or the link-local default.
    public init(environment: AWSEnvironment, http: any HTTPClient) {
        self.environment = environment
        self.http = http
    }

    public func resolve() async throws(AWSError) -> AWSCredentials? {
        let variables = environment.variables
        if variables["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        var base = variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"].nonEmpty
            ?? (variables["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6"
                ? "http://[fd00:ec2::254]" : "http://169.254.169.254")
        while base.hasSuffix("/") { base.removeLast() }
        let credentialsPath = base + "/latest/meta-data/iam/security-credentials/"
        var headers: [(name: String, value: String)] = []
        // No answer at all means this is not an EC2 instance: the provider does not apply.
        guard let token = await get("PUT", base + "/latest/api/token", [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
        else { return nil }
        if token.status == 200 {
            headers.append(("X-aws-ec2-metadata-token", String(decoding: token.body, as: UTF8.self)))
        } else if ![403, 404, 405].contains(token.status) || variables["AWS_EC2_METADATA_V1_DISABLED"]?.lowercased() == "true" {
            return nil
        }
        guard let role = await get("GET", credentialsPath, headers), role.status == 200,
            let name = String(decoding: role.body, as: UTF8.self).split(separator: "\n").first.map(String.init)
        else { return nil }
        guard let document = await get("GET", credentialsPath + name, headers), document.status == 200 else {
            throw AWSError.credentials("instance metadata gave no credentials for role \(name)")
        }
        return try CredentialDocument.decode(document.body, source: "instance metadata")
    }

    private func get(_ method: String, _ url: String, _ headers: [(name: String, value: String)]) async -> HTTPResponse? {
        try? await http.send(HTTPRequest(method: method, url: url, headers: headers, connectTimeout: 1, totalTimeout: 1))
    }
}
