import Workflows

extension MetricLine {
    /// A reconciliation pass's embedded metrics: each repair kind, their total `ReconcilerRepairs`,
    /// and `StuckRunningJobs` (always written, so the StuckJobsAlarm sees zeros between incidents).
    public static func reconcilerMetrics(_ report: ReconcileWorkflow.Report) -> [String: Int] {
        var metrics = report
        let stuck = metrics.removeValue(forKey: "stuckRunning") ?? 0
        metrics["ReconcilerRepairs"] = metrics.values.reduce(0, +)
        metrics["StuckRunningJobs"] = stuck
        return metrics
    }
}
