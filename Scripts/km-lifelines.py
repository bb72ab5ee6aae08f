#!/usr/bin/env python3
"""Kaplan–Meier percentiles and their 95% intervals from lifelines (PyPI) on seeded random
right-censored durations in whole minutes: the fixture Tests/StackupCoreTests/Fixtures/
km-lifelines.json, which KaplanMeierTests holds Stackup's estimator to. .ci/run regenerates it
and fails when it differs, so the fixture is lifelines' own output."""
import json, math, random, sys, warnings
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_times

# lifelines warns that it reads percentiles off the estimated curve; that is what is compared.
warnings.filterwarnings("ignore")

def figure(x):
    x = float(x)
    return None if math.isinf(x) or math.isnan(x) else x

rng = random.Random(20261202)
cases = []
for k in range(16):
    n = rng.choice([12, 30, 80, 200, 500])
    scale = rng.choice([60, 480, 2880])
    censor_scale = scale * rng.choice([0.5, 1, 3, 100])
    durations, observed = [], []
    for _ in range(n):
        t = max(1, round(rng.lognormvariate(math.log(scale), 0.8)))
        c = max(1, round(rng.expovariate(1 / censor_scale)))
        durations.append(min(t, c))
        observed.append(t <= c)
    kmf = KaplanMeierFitter().fit(durations, observed, alpha=0.05)
    band = kmf.confidence_interval_
    row = {"durations": durations, "observed": observed}
    for name, q in [("p50", 0.5), ("p90", 0.1)]:
        ci = qth_survival_times(q, band)
        row[name] = figure(kmf.percentile(q))
        row[name + "_low"] = figure(ci.iloc[0, 0])
        row[name + "_high"] = figure(ci.iloc[0, 1])
    cases.append(row)
json.dump({"generator": "Scripts/km-lifelines.py", "cases": cases}, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
