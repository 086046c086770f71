import AWSSigV4
import FoundationEssentials
import HTTPTransport

/// ECS, EKS Pod Identity and Lambda SnapStart credentials from the container endpoint.
public struct ContainerCredentialProvider: CredentialProvider {
    static let relativeHost = "http://169.254.170.2"
    static let allowedHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]"]

    let environment: AWSEnvironment
    let http: any HTTPClient

    /// Uses `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI` from the environment.
    public init(environment: AWSEnvironment, http: any HTTPClient) {
        self.environment = environment
        self.http = http
    }

    public func resolve() async throws(AWSError) -> AWSCredentials? {
        let variables = environment.variables
        let url: String
        if let relative = variables["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"].nonEmpty {
            url = Self.relativeHost + relative
        } else if let full = variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"].nonEmpty {
            guard let parsed = AWSURL(string: full),
                parsed.scheme == "https" || Self.allowedHosts.contains(parsed.host) || parsed.host.hasPrefix("127.")
            else {
                throw AWSError.credentials(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI: expected https or a loopback/container host, got \(full)")
            }
            url = full
        } else {
            return nil
        }
        var headers: [(name: String, value: String)] = []
        if let file = variables["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"].nonEmpty {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: file)) else {
                throw AWSError.credentials("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: cannot read \(file)")
            }
            headers.append(("Authorization", String(decoding: data, as: UTF8.self).trimmingWhitespace().trimmingNewlines()))
        } else if let token = variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"].nonEmpty {
            headers.append(("Authorization", token))
        }
        var lastError = AWSError.credentials("container endpoint \(url) did not answer")
        for _ in 0..<3 {
            let response: HTTPResponse
            do {
                response = try await http.send(
                    HTTPRequest(method: "GET", url: url, headers: headers, connectTimeout: 2, totalTimeout: 2))
            } catch {
                lastError = AWSError.credentials("container endpoint \(url): \(error.message)")
                continue
            }
            guard response.status == 200 else {
                lastError = AWSError.credentials("container endpoint \(url) answered HTTP \(response.status)")
                if response.status < 500 { break }
                continue
            }
            return try CredentialDocument.decode(response.body, source: "container endpoint")
        }
        throw lastError
    }
}

/// The JSON both the container endpoint and IMDS answer with.
struct CredentialDocument: Decodable {
    let AccessKeyId: String
    let SecretAccessKey: String
    let Token: String?
    let Expiration: String?

    static func decode(_ body: [UInt8], source: String) throws(AWSError) -> AWSCredentials {
        let document: CredentialDocument
        do {
            document = try JSONDecoder().decode(CredentialDocument.self, from: Data(body))
        } catch {
            throw AWSError.credentials("\(source): expected JSON with AccessKeyId, SecretAccessKey, Token, Expiration")
        }
        var expiration: Date?
        if let text = document.Expiration {
            guard let date = ISO8601.parse(text) else { throw AWSError.credentials("\(source): bad Expiration \(text)") }
            expiration = date
        }
        return AWSCredentials(
            accessKeyID: document.AccessKeyId, secretAccessKey: document.SecretAccessKey, sessionToken: document.Token,
            expiration: expiration)
    }
}

extension String {
    func trimmingNewlines() -> String {
        var view = Substring(self)
        while let last = view.last, last == "\n" || last == "\r" { view = view.dropLast() }
        return String(view)
    }
}
