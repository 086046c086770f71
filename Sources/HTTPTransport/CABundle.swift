import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// Which file of trusted CA certificates TLS connections verify against.
///
/// The zips bundle Debian's libcurl, whose built-in default is Debian's
/// `/etc/ssl/certs/ca-certificates.crt`; Amazon Linux 2023 keeps its bundle at
/// `/etc/pki/tls/certs/ca-bundle.crt`. So the file is chosen where the process runs:
/// `SSL_CERT_FILE` or `CURL_CA_BUNDLE` when set, else libcurl's own default when it exists, else
/// the first that exists of the distributions' usual places. Nil leaves libcurl's default alone.
enum CABundle {
    static let candidates = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine
        "/etc/pki/tls/certs/ca-bundle.crt",  // Amazon Linux, Fedora, RHEL
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        "/etc/ssl/cert.pem",
    ]

    static let path: String? = choose(
        environment: { name in getenv(name).map { String(cString: $0) } },
        libcurlDefault: libcurlDefault(),
        exists: { access($0, R_OK) == 0 })

    static func choose(
        environment: (String) -> String?, libcurlDefault: String?, exists: (String) -> Bool
    ) -> String? {
        for name in ["SSL_CERT_FILE", "CURL_CA_BUNDLE"] {
            if let value = environment(name), !value.isEmpty { return value }
        }
        if let libcurlDefault, exists(libcurlDefault) { return nil }
        return candidates.first(where: exists)
    }

    /// The CA file libcurl was built to use (CURLINFO_CAINFO, libcurl 7.84 and later).
    private static func libcurlDefault() -> String? {
        guard let easy = curl_easy_init() else { return nil }
        defer { curl_easy_cleanup(easy) }
        var pointer: UnsafeMutableRawPointer?
        guard gas_curl_getinfo_pointer(easy, CURLINFO_CAINFO, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer.assumingMemoryBound(to: CChar.self))
    }
}
