/// The libcurl-backed client: connection reuse, timeouts and streaming bodies, shared by the process.
public struct CurlHTTPClient: HTTPClient {
    /// Creates a client on the process-wide libcurl engine.
    public init() {}

    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        do {
            return try await CurlEngine.shared.perform(request)
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError(.cancelled, "\(error)")
        }
    }
}
