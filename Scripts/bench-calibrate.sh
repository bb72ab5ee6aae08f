#!/usr/bin/env bash
# `stackup calibrate` on a long CSV of 1,000,000 events and on an XES log of 250,000 events
# (about 80 MB), in a release build, each next to a baseline measured in the same run on the
# same file: `wc -l` for the CSV, the toolchain's XML parser alone (stackup-bench xml) for the
# XES. Prints wall time and peak memory (GNU time), medians of RUNS runs, and the ratios.
# The targets (issue #18): the CSV under 3 s and 300 MB, the XES under 5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release >/dev/null
bin="$(swift build -c release --show-bin-path)"
python3 - "$work" <<'PY'
import random, sys
from datetime import datetime, timezone
work = sys.argv[1]
rng = random.Random(18)
t0 = datetime(2026, 1, 5, tzinfo=timezone.utc).timestamp()
def iso(t, ms=False):
    d = datetime.fromtimestamp(t, timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + (".000+00:00" if ms else "Z")
# Long CSV: 1,000,000 rows, Salesforce-style ids, half the cases won after an AE, half lost.
with open(f"{work}/log.csv", "w") as f:
    f.write("OpportunityId,StageName,CreatedDate\n")
    n, c = 0, 0
    while n < 1_000_000:
        t = t0 + c * 30
        for s in (("sdr", "ae", "won") if c % 2 == 0 else ("sdr", "lost")):
            if n == 1_000_000: break
            f.write(f"0061x{c:08d},{s},{iso(t)}\n"); n += 1
            t += rng.expovariate(1 / 7200)
        c += 1
# XES: 250,000 events with lifecycle, resource and an amount, as process-mining tools write.
with open(f"{work}/log.xes", "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n')
    f.write('  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n')
    n, c = 0, 0
    while n < 250_000:
        t = t0 + c * 120
        f.write(f'  <trace>\n    <string key="concept:name" value="case-{c:07d}"/>\n')
        for s in (("sdr", "ae", "won") if c % 2 == 0 else ("sdr", "lost")):
            for phase in ("start", "complete") if s in ("sdr", "ae") else ("complete",):
                f.write('    <event>\n'
                        f'      <string key="concept:name" value="{s}"/>\n'
                        f'      <string key="lifecycle:transition" value="{phase}"/>\n'
                        f'      <string key="org:resource" value="User {rng.randrange(40)}"/>\n'
                        f'      <date key="time:timestamp" value="{iso(t, True)}"/>\n'
                        f'      <float key="amount" value="{rng.uniform(1000, 90000):.2f}"/>\n'
                        '    </event>\n')
                n += 1
                t += rng.expovariate(1 / 3600)
        f.write('  </trace>\n')
        c += 1
    f.write('</log>\n')
PY
cat > "$work/design.stackup.yaml" <<'YAML'
stackup: 1
entries:
  web: {to: sdr, rate: 2000/week}
stages:
  sdr:
    sla: {p50: 2h, p90: 8h}
    routes:
      - {to: ae, share: 0.5}
      - to: lost
  ae:
    sla: {p50: 2h, p90: 8h}
    routes:
      - to: won
  won: {outcome: won}
  lost: {outcome: lost}
YAML
echo "files: $(du -h "$work/log.csv" | cut -f1) CSV (1,000,000 events), $(du -h "$work/log.xes" | cut -f1) XES (250,000 events)"

# Median wall seconds and peak kilobytes of RUNS runs of a command.
measure() {
  local walls=() peaks=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r wall peak < "$work/time"
    walls+=("$wall"); peaks+=("$peak")
  done
  python3 -c 'import statistics,sys; w=[float(x) for x in sys.argv[1].split()]; p=[int(x) for x in sys.argv[2].split()]; print(statistics.median(w), statistics.median(p))' "${walls[*]}" "${peaks[*]}"
}
report() { # label baseline-label "wall peak" "wall peak" target-seconds target-mb
  python3 -c '
import sys
label, base, mine, theirs, seconds, mb = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split(), float(sys.argv[5]), float(sys.argv[6])
w, p, bw = float(mine[0]), int(mine[1]) / 1024, float(theirs[0])
ratio = w / bw if bw > 0 else float("inf")
print(f"{label}: {w:.2f} s, peak {p:.0f} MB; {base}: {bw:.2f} s; ratio {ratio:.1f}x (target under {seconds:g} s" + (f" and {mb:g} MB)" if mb else ")"))
' "$@"
}
csv_base=$(measure wc -l "$work/log.csv")
csv=$(measure "$bin/stackup" calibrate "$work/design.stackup.yaml" "$work/log.csv" --format json)
report "calibrate, long CSV of 1,000,000 events" "wc -l on the same file" "$csv" "$csv_base" 3 300
xes_base=$(measure "$bin/stackup-bench" xml "$work/log.xes")
xes=$(measure "$bin/stackup" calibrate "$work/design.stackup.yaml" "$work/log.xes" --format json)
report "calibrate, XES of 250,000 events" "the XML parser alone" "$xes" "$xes_base" 5 0
