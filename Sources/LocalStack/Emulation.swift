import AWSCore
import AWSGlacier
import AWSS3
import AWSSNS
import Foundation
import HTTPTransport
import LocalLambda
import LocalServer

/// What AWS does that moto does not: publish Glacier job completions to the job's SNS topic, and
/// send `s3:ObjectRestore:Completed` when a restore finishes (moto only sends it on the next read).
public enum Emulation {
    /// Adds both emulations to `endpoint`; they act through `client` (which must reach moto).
    public static func install(on endpoint: AWSEndpoint, client: AWSClient, log: @escaping @Sendable (String) -> Void) {
        endpoint.observe { request, response in
            let path = request.path.split(separator: "?", maxSplits: 1)
            let parts = path.first?.split(separator: "/") ?? []
            // Glacier InitiateJob: POST /{account}/vaults/{vault}/jobs → 202 with x-amz-job-id.
            if request.method == "POST", parts.count == 4, parts[1] == "vaults", parts[3] == "jobs", response.status == 202,
                let jobID = response.header("x-amz-job-id"),
                let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any], let topic = body["SNSTopic"] as? String
            {
                let vault = String(parts[2])
                let description = body["Description"] as? String
                Task { await publishWhenComplete(vault: vault, jobID: jobID, topic: topic, description: description, client: client, log: log) }
            }
            // S3 RestoreObject: POST /{bucket}/{key}?restore → 202; moto notifies once the object is read.
            if request.method == "POST", path.count == 2, path[1].hasPrefix("restore"), response.status == 202 || response.status == 200, parts.count >= 2 {
                let bucket = String(parts[0])
                let key = parts.dropFirst().joined(separator: "/").removingPercentEncoding ?? ""
                Task {
                    try? await Task.sleep(for: .milliseconds(500))
                    _ = try? await S3Client(client: client).headObject(bucket: bucket, key: key)
                    log("[emulation] restore of s3://\(bucket)/\(key) completed")
                }
            }
        }
    }

    static func publishWhenComplete(
        vault: String, jobID: String, topic: String, description: String?, client: AWSClient, log: @Sendable (String) -> Void
    ) async {
        for _ in 0..<600 {
            guard let response = try? await client.send(
                AWSRequest(
                    service: .glacier, method: "GET", url: try client.url(for: .glacier, path: "/-/vaults/\(vault)/jobs/\(jobID)"),
                    headers: [("x-amz-glacier-version", "2012-06-01")], idempotent: true)),
                let job = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            else {
                try? await Task.sleep(for: .milliseconds(500))
                continue
            }
            if job["Completed"] as? Bool == true {
                // The document AWS publishes is DescribeJob's; moto leaves out the description and topic.
                var document = job
                document["SNSTopic"] = topic
                if document["JobDescription"] == nil || document["JobDescription"] is NSNull { document["JobDescription"] = description }
                if document["VaultARN"] == nil { document["VaultARN"] = "arn:aws:glacier:\(client.region):123456789012:vaults/\(vault)" }
                let text = String(decoding: (try? JSONSerialization.data(withJSONObject: document)) ?? Data(), as: UTF8.self)
                do {
                    try await SNSClient(client: client).publish(topicARN: topic, message: text)
                    log("[emulation] Glacier job \(jobID.prefix(12))… completed; published to \(topic.split(separator: ":").last ?? "")")
                } catch {
                    log("[emulation] cannot publish Glacier completion: \(error)")
                }
                return
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        log("[emulation] Glacier job \(jobID) never completed")
    }
}
