import StackupCore

/// `simulate --events`: the simulated journeys as an event log in the long CSV form that
/// `calibrate` reads: one row per arrival of a case at a stage, with when it left. A pure
/// function of the run.
public enum EventLogReporter {
    /// The header: `case_id`, `stage` and `timestamp` are names `calibrate` finds by itself;
    /// so is `left`.
    public static let header = "case_id,stage,timestamp,left\n"

    /// Every visit, in the order they began. `start` is the Unix time of simulated minute 0,
    /// a Monday 00:00 UTC (the simulation's week starts on Monday); times are to the second.
    public static func csv(_ log: [Simulation.Visit], stageIds: [String], start: Int64) -> String {
        var out = header
        out.reserveCapacity(log.count * 64)
        for visit in log {
            let stage = visit.stage >= 0 && visit.stage < stageIds.count ? stageIds[visit.stage] : ""
            out += "case-\(visit.customer + 1),\(field(stage)),\(ISOTime.format(start + seconds(visit.entered))),"
            if let left = visit.left { out += ISOTime.format(start + seconds(left)) }
            out += "\n"
        }
        return out
    }

    /// Whole seconds of a simulated time in minutes (times are never negative; a time past
    /// the calendar's range is clamped rather than trapped).
    static func seconds(_ minutes: Double) -> Int64 {
        let s = (minutes * 60).rounded(.down)
        guard s.isFinite, s >= 0 else { return 0 }
        return s < 9e15 ? Int64(s) : 9_000_000_000_000_000
    }

    /// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
