import Workflows

/// `/annotations`, `/annotations/<id>` and `/annotations/<id>/log`.
enum JobPages {
    static func list(_ jobs: [JobRecord], time: DisplayTime) -> HTML {
        guard !jobs.isEmpty else {
            return "<h1>My Annotations</h1><p><a class=\"button\" href=\"/annotate\">Request New Annotation</a></p><p>No annotations found.</p>"
        }
        let rows = jobs.map { job -> HTML in
            """
            <tr><td><a href="/annotations/\(job.id)">\(job.id)</a></td><td class="optional">\(time.format(job.submitTime))</td>\
            <td>\(job.inputFileName)</td><td><span class="status \(job.status.rawValue)">\(job.status.rawValue)</span></td></tr>

            """
        }
        return """
            <h1>My Annotations</h1>
            <p><a class="button" href="/annotate">Request New Annotation</a></p>
            <table><thead><tr><th>Request ID</th><th class="optional">Request Time</th><th>VCF File Name</th><th>Status</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            """
    }

    static func details(_ job: JobRecord, cell: ResultsCell?, time: DisplayTime) -> HTML {
        var rows: [HTML] = [
            "<dt>Request ID</dt><dd>\(job.id)</dd>",
            "<dt>Request Time</dt><dd>\(time.format(job.submitTime))</dd>",
            "<dt>VCF Input File</dt><dd><a href=\"/annotations/\(job.id)/input\">\(job.inputFileName)</a></dd>",
            "<dt>Status</dt><dd><span class=\"status \(job.status.rawValue)\">\(job.status.rawValue)</span></dd>",
        ]
        if job.status == .completed {
            if let complete = job.completeTime { rows.append("<dt>Complete Time</dt><dd>\(time.format(complete))</dd>") }
            rows.append("<dt>Annotated Results File</dt><dd>\(results(job, cell ?? .download))</dd>")
            rows.append("<dt>Annotation Log File</dt><dd><a href=\"/annotations/\(job.id)/log\">view</a></dd>")
        }
        if job.status == .failed {
            rows.append("<dt>Reason</dt><dd>\(job.failureReason ?? "The annotation failed.")</dd>")
            if job.log != nil { rows.append("<dt>Annotation Log File</dt><dd><a href=\"/annotations/\(job.id)/log\">view</a></dd>") }
        }
        return """
            <h1>Annotation Details</h1>
            <section class="card"><dl>
            \(rows)
            </dl></section>
            <p><a href="/annotations">← back to annotations list</a></p>
            """
    }

    static func results(_ job: JobRecord, _ cell: ResultsCell) -> HTML {
        switch cell {
        case .download: "<a href=\"/annotations/\(job.id)/result\">download</a>"
        case .upgradeToDownload: "<a href=\"/subscribe\">upgrade to Premium for download</a>"
        case .restoreQueued, .restoring, .restoreFailed: "<span class=\"restoring\">\(cell.message ?? "")</span>"
        }
    }

    static func log(_ job: JobRecord, text: String, truncated: Bool) -> HTML {
        let more: HTML = truncated ? "<p class=\"muted\">The log is longer; only its first megabyte is shown.</p>" : ""
        return """
            <h1>Annotation Log for Job \(job.id)</h1>
            <pre>\(text)</pre>\(more)
            <p><a href="/annotations/\(job.id)">← back to annotation details</a></p>
            """
    }
}
