#!/usr/bin/env bash
# Times the criteria analysis on a synthetic design of 1,000 stages and 6 attributes, in a
# release build. The baseline, measured in the same run, is loading the same design (reading
# and decoding the YAML); the ratio says how the analysis compares with just reading the file.
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${1:-1000}
design=$(mktemp --suffix=.stackup.yaml)
python3 Scripts/make-synthetic-design.py "$stages" 7 > "$design"
swift build -c release --product stackup-bench >/dev/null
bench="$(swift build -c release --show-bin-path)/stackup-bench"
result=$("$bench" phases "$design" 7)
echo "$result"
load=$(echo "$result" | awk '/^load:/ {print $2}')
criteria=$(echo "$result" | awk '/^criteria:/ {print $2}')
python3 -c "import sys; l, c = float(sys.argv[1]), float(sys.argv[2]); print(f'criteria / load = {c / l:.2f}x; target: criteria under 0.2 s ({\"met\" if c < 0.2 else \"NOT met\"})')" "$load" "$criteria"
rm -f "$design"
