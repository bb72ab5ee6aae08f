#!/usr/bin/env python3
"""calibrate's Kaplan–Meier percentiles against lifelines (PyPI), end to end: reads a long CSV
log (case_id, stage, timestamp, left) the plain way, takes each visit's time in stage
(left, else the next arrival, else censored at the cut-off), fits lifelines, and compares
p50, p90 and their intervals with `stackup calibrate --format json` to the minute.

Usage: calibrate-lifelines.py LOG.csv AS_OF CALIBRATE.json STAGE…"""
import csv, json, math, sys, warnings
from datetime import datetime
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_times

warnings.filterwarnings("ignore")

def when(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()

def main():
    log, as_of, report, *stages = sys.argv[1:]
    cut = when(as_of)
    calibrated = json.load(open(report))["stages"]
    by_case = {}
    for row in csv.DictReader(open(log, newline="")):
        if row["stage"] not in calibrated and row["stage"] not in ("won", "lost"):
            continue  # activities the design does not know take no part
        by_case.setdefault(row["case_id"], []).append(row)
    times = {s: ([], []) for s in stages}
    for rows in by_case.values():
        rows.sort(key=lambda r: when(r["timestamp"]))
        for k, row in enumerate(rows):
            if row["stage"] not in times:
                continue
            entered = when(row["timestamp"])
            if entered > cut:
                continue
            left = when(row["left"]) if row["left"] else (when(rows[k + 1]["timestamp"]) if k + 1 < len(rows) else None)
            done = left is not None and left <= cut
            times[row["stage"]][0].append(((left if done else cut) - entered) / 60)
            times[row["stage"]][1].append(done)
    failures = 0
    for stage in stages:
        durations, observed = times[stage]
        kmf = KaplanMeierFitter().fit(durations, observed, alpha=0.05)
        mine = calibrated[stage]
        for name, q in [("p50", 0.5), ("p90", 0.1)]:
            ci = qth_survival_times(q, kmf.confidence_interval_)
            theirs = [float(kmf.percentile(q)), float(ci.iloc[0, 0]), float(ci.iloc[0, 1])]
            ours = [mine[name + "_hours"]] + (mine[name + "_interval"] or [None, None])
            for label, a, b in zip(["estimate", "low", "high"], theirs, ours):
                a = None if math.isinf(a) or math.isnan(a) else a / 60
                ok = (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= 1 / 60)
                print(f"{'ok' if ok else 'FAIL'}: {stage} {name} {label}: lifelines {a if a is None else round(a, 3)} h, calibrate {b} h")
                failures += not ok
        if len(durations) != mine["visits"] or observed.count(False) != mine["censored"]:
            print(f"FAIL: {stage}: {len(durations)} visits, {observed.count(False)} censored; calibrate says {mine['visits']}, {mine['censored']}")
            failures += 1
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main())
