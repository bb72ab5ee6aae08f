#!/usr/bin/env bash
# Times the customer-side analyses (the dataflow pass and the six rules that read it) on a
# synthetic design of 1,000 stages, in a release build, against loading the same design.
set -euo pipefail
cd "$(dirname "$0")/.."
design=$(mktemp --suffix=.stackup.yaml)
python3 Scripts/make-synthetic-design.py "${1:-1000}" 7 > "$design"
swift build -c release --product stackup-bench >/dev/null
result=$("$(swift build -c release --show-bin-path)/stackup-bench" phases "$design" 7)
echo "$result"
python3 - "$result" <<'PY'
import re, sys
t = {m[0]: float(m[1]) for m in re.findall(r"^([a-z ]+): ([0-9.]+) s", sys.argv[1], re.M)}
total = t["dataflow"] + t["customer rules"]
print(f"customer-side analyses: {total:.4f} s = {total / t['load']:.2f}x loading; target under 0.2 s ({'met' if total < 0.2 else 'NOT met'})")
PY
rm -f "$design"
