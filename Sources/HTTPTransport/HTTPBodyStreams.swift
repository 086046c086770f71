/// Produces a request body piece by piece. Called on the transport's I/O thread: keep it quick.
public protocol HTTPBodySource: AnyObject, Sendable {
    /// Fills up to `buffer.count` bytes and returns how many; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Starts again from the first byte (for a retried request); false when it cannot.
    func rewind() -> Bool
}

/// Consumes a response body piece by piece. Called on the transport's I/O thread: keep it quick.
public protocol HTTPBodySink: AnyObject, Sendable {
    /// Takes the next piece of the body.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Drops what was written so far (a retried request starts the body again).
    func reset() throws
}

/// The client: sends a request and answers with the response.
public protocol HTTPClient: Sendable {
    /// Sends `request` without blocking the caller's thread.
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse
}
