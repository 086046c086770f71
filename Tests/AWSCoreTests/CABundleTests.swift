@testable import HTTPTransport
import Testing

/// The CA file follows the machine the bootstrap runs on, not the one that built its libcurl.
@Suite struct CABundleTests {
    private func choose(_ variables: [String: String] = [:], libcurl: String? = "/etc/ssl/certs/ca-certificates.crt", files: Set<String>) -> String? {
        CABundle.choose(environment: { variables[$0] }, libcurlDefault: libcurl, exists: { files.contains($0) })
    }

    @Test func amazonLinuxBundleWhenDebiansDefaultIsMissing() {
        #expect(choose(files: ["/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]) == "/etc/pki/tls/certs/ca-bundle.crt")
    }

    @Test func libcurlsDefaultStandsWhereItExists() {
        #expect(choose(files: ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]) == nil)
    }

    @Test func theEnvironmentWins() {
        #expect(choose(["SSL_CERT_FILE": "/opt/ca.pem"], files: []) == "/opt/ca.pem")
        #expect(choose(["CURL_CA_BUNDLE": "/opt/curl.pem"], files: ["/etc/pki/tls/certs/ca-bundle.crt"]) == "/opt/curl.pem")
    }

    @Test func nothingKnownLeavesLibcurlAlone() {
        #expect(choose(libcurl: nil, files: []) == nil)
    }

}
