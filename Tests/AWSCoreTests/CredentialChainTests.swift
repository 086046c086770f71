import AWSCore
import AWSSigV4
import Foundation
import HTTPTransport
import Synchronization
import LocalServer
import TestSupport
import Testing

@Suite struct CredentialChainTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gas-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func environmentComesFirstAndCarriesTheSessionToken() async throws {
        let environment = AWSEnvironment(variables: [
            "AWS_ACCESS_KEY_ID": "ASIAENV", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
            "AWS_CREDENTIAL_EXPIRATION": "2030-01-01T00:00:00Z", "HOME": "/nonexistent",
        ])
        let credentials = try await CredentialChain.standard(environment: environment, http: CurlHTTPClient()).credentials()
        #expect(credentials.accessKeyID == "ASIAENV")
        #expect(credentials.sessionToken == "token")
        #expect(credentials.expiration == ISO8601.parse("2030-01-01T00:00:00Z"))
    }

    @Test func halfSetEnvironmentIsAnErrorNamingBothVariables() async throws {
        let environment = AWSEnvironment(variables: ["AWS_ACCESS_KEY_ID": "AK", "HOME": "/nonexistent"])
        let error = await #expect(throws: AWSError.self) { try await EnvironmentCredentialProvider(environment: environment).resolve() }
        #expect(error?.message.contains("AWS_SECRET_ACCESS_KEY") == true)
    }

    @Test func profilesComeFromTheSharedFiles() async throws {
        let dir = try temporaryDirectory()
        try """
            [default]
            aws_access_key_id = AKDEFAULT
            aws_secret_access_key = s1
            # comment
            [lab]
            aws_access_key_id=AKLAB   ; inline comment
            aws_secret_access_key=s2
            aws_session_token=t2
            """.write(to: dir.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        try """
            [profile cfgonly]
            region = eu-central-1
            aws_access_key_id = AKCFG
            aws_secret_access_key = s3
            services = local
            [services local]
            dynamodb =
              endpoint_url = http://127.0.0.1:8000
            """.write(to: dir.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let base = [
            "HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": dir.appendingPathComponent("credentials").path,
            "AWS_CONFIG_FILE": dir.appendingPathComponent("config").path,
        ]
        let lab = AWSEnvironment(variables: base.merging(["AWS_PROFILE": "lab"]) { $1 })
        let labCredentials = try await ProfileCredentialProvider(environment: lab).resolve()
        #expect(labCredentials == AWSCredentials(accessKeyID: "AKLAB", secretAccessKey: "s2", sessionToken: "t2"))
        #expect(try await ProfileCredentialProvider(environment: AWSEnvironment(variables: base)).resolve()?.accessKeyID == "AKDEFAULT")

        let config = AWSEnvironment(variables: base.merging(["AWS_PROFILE": "cfgonly"]) { $1 })
        #expect(try await ProfileCredentialProvider(environment: config).resolve()?.accessKeyID == "AKCFG")
        #expect(config.region == "eu-central-1")
        let dynamo = AWSService(name: "dynamodb", signingName: "dynamodb", hostPrefix: "dynamodb", endpointKey: "DYNAMODB")
        #expect(config.configuredEndpoint(for: dynamo) == "http://127.0.0.1:8000")
        #expect(try await ProfileCredentialProvider(environment: AWSEnvironment(variables: base.merging(["AWS_PROFILE": "none"]) { $1 })).resolve() == nil)
    }

    @Test func containerEndpointWithAuthorizationTokenFile() async throws {
        let dir = try temporaryDirectory()
        let tokenFile = dir.appendingPathComponent("token")
        try "secret-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let server = try LocalHTTPServer { request in
            guard request.headers["authorization"] == "secret-token", request.path == "/creds" else { return .init(status: 403) }
            return .init(status: 200, text: #"{"AccessKeyId":"ASIACONT","SecretAccessKey":"s","Token":"t","Expiration":"2030-03-14T21:09:26Z"}"#)
        }
        let environment = AWSEnvironment(variables: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path,
            "HOME": "/nonexistent",
        ])
        let credentials = try await CredentialChain.standard(environment: environment, http: CurlHTTPClient()).credentials()
        #expect(credentials.accessKeyID == "ASIACONT")
        #expect(credentials.expiration == ISO8601.parse("2030-03-14T21:09:26Z"))

        let refused = AWSEnvironment(variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"])
        let error = await #expect(throws: AWSError.self) { try await ContainerCredentialProvider(environment: refused, http: CurlHTTPClient()).resolve() }
        #expect(error?.message.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI") == true)
    }

    @Test func temporaryCredentialsAreRefreshedBeforeExpiry() async throws {
        let served = Atomic<Int>(0)
        let server = try LocalHTTPServer { _ in
            let n = served.add(1, ordering: .relaxed).newValue
            return .init(status: 200, text: #"{"AccessKeyId":"AK\#(n)","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T01:00:00Z"}"#)
        }
        let environment = AWSEnvironment(variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/"])
        let clock = Mutex(ISO8601.parse("2030-01-01T00:00:00Z")!)
        let chain = CredentialChain([ContainerCredentialProvider(environment: environment, http: CurlHTTPClient())], now: { clock.withLock { $0 } })
        #expect(try await chain.credentials().accessKeyID == "AK1")
        #expect(try await chain.credentials().accessKeyID == "AK1")  // cached: an hour left
        clock.withLock { $0 = ISO8601.parse("2030-01-01T00:50:00Z")! }  // 10 minutes left: refresh
        #expect(try await chain.credentials().accessKeyID == "AK2")
        #expect(served.load(ordering: .relaxed) == 2)
    }

    @Test func noSourceNamesWhatToSet() async throws {
        let environment = AWSEnvironment(variables: ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"])
        let error = await #expect(throws: AWSError.self) { try await CredentialChain.standard(environment: environment, http: CurlHTTPClient()).credentials() }
        #expect(error?.code == "CredentialsError")
        #expect(error?.message.contains("AWS_ACCESS_KEY_ID") == true)
    }

    @Test func parsesISO8601Forms() {
        #expect(ISO8601.parse("2025-03-14T21:09:26Z") == ISO8601.parse("2025-03-14T22:09:26+01:00"))
        #expect(ISO8601.parse("2025-03-14T21:09:26.500Z")!.timeIntervalSince(ISO8601.parse("2025-03-14T21:09:26Z")!) == 0.5)
        #expect(ISO8601.parse("2025-13-14T21:09:26Z") == nil)
        #expect(ISO8601.parse("yesterday") == nil)
    }
}

@Suite struct InstanceMetadataTests {
    @Test func usesIMDSv2TokenForTheRoleCredentials() async throws {
        let server = try LocalHTTPServer { request in
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                guard request.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600" else { return .init(status: 400) }
                return .init(status: 200, text: "imds-token")
            case ("GET", let path) where request.headers["x-aws-ec2-metadata-token"] != "imds-token":
                return .init(status: 401, text: path)
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return .init(status: 200, text: "gas-role\n")
            case ("GET", "/latest/meta-data/iam/security-credentials/gas-role"):
                return .init(status: 200, text: #"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAEC2","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#)
            default:
                return .init(status: 404)
            }
        }
        let environment = AWSEnvironment(variables: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url + "/", "HOME": "/nonexistent"])
        let credentials = try await CredentialChain.standard(environment: environment, http: CurlHTTPClient()).credentials()
        #expect(credentials.accessKeyID == "ASIAEC2")
        #expect(credentials.sessionToken == "t")
        #expect(server.requests.map(\.method) == ["PUT", "GET", "GET"])
    }

    @Test func noMetadataServiceMeansTheProviderDoesNotApply() async throws {
        let environment = AWSEnvironment(variables: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"])
        #expect(try await InstanceMetadataCredentialProvider(environment: environment, http: CurlHTTPClient()).resolve() == nil)
    }

    @Test func environmentCredentialsAreReadAgainWhenTheyAreRefreshed() async throws {
        // Issue 10, item 16: the environment was read once, so rotated keys were never seen and an
        // ExpiredToken (which drops the cache) resolved the same expired keys again.
        let current = Mutex(["AWS_ACCESS_KEY_ID": "ASIAOLD", "AWS_SECRET_ACCESS_KEY": "s1", "AWS_SESSION_TOKEN": "t1"])
        let environment = AWSEnvironment(variables: ["HOME": "/nonexistent"], live: { name in current.withLock { $0[name] } })
        let chain = CredentialChain.standard(environment: environment, http: CurlHTTPClient())
        let first = try await chain.credentials()
        #expect(first.accessKeyID == "ASIAOLD")
        current.withLock { $0 = ["AWS_ACCESS_KEY_ID": "ASIANEW", "AWS_SECRET_ACCESS_KEY": "s2", "AWS_SESSION_TOKEN": "t2"] }
        #expect(try await chain.credentials() == first, "cached while valid")
        chain.invalidate(first)
        let second = try await chain.credentials()
        #expect(second.accessKeyID == "ASIANEW" && second.sessionToken == "t2")
    }

    @Test func environmentCredentialsWithAnExpirationAreRefreshedBeforeIt() async throws {
        let expiring = ISO8601DateFormatter().string(from: Date().addingTimeInterval(5 * 60))
        let current = Mutex(["AWS_ACCESS_KEY_ID": "ASIAOLD", "AWS_SECRET_ACCESS_KEY": "s1", "AWS_CREDENTIAL_EXPIRATION": expiring])
        let environment = AWSEnvironment(variables: [:], live: { name in current.withLock { $0[name] } })
        let chain = CredentialChain([EnvironmentCredentialProvider(environment: environment)])
        #expect(try await chain.credentials().accessKeyID == "ASIAOLD")
        current.withLock { $0 = ["AWS_ACCESS_KEY_ID": "ASIANEW", "AWS_SECRET_ACCESS_KEY": "s2", "AWS_CREDENTIAL_EXPIRATION": "2099-01-01T00:00:00Z"] }
        #expect(try await chain.credentials().accessKeyID == "ASIANEW", "within the refresh window the environment is read again")
    }
}
