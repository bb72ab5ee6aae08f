#!/usr/bin/env bash
# Simulation throughput in events per second, in a release build, and the wall time of
# `stackup simulate` on the largest example (100,000 customers).
set -euo pipefail
cd "$(dirname "$0")/.."
design=${1:-Specs/examples/assembly-line.stackup.yaml}
swift build -c release >/dev/null
bin="$(swift build -c release --show-bin-path)"
"$bin/stackup-bench" simulate "$design" "${2:-100000}"
start=$(date +%s.%N)
"$bin/stackup" simulate "$design" --format json >/dev/null
end=$(date +%s.%N)
python3 -c "import sys; print(f'stackup simulate {sys.argv[1]} (100000 customers, whole command): {float(sys.argv[3]) - float(sys.argv[2]):.2f} s')" "$design" "$start" "$end"
