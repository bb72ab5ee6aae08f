#!/usr/bin/env bash
# Monte Carlo throughput in customer-stage steps per second, in a release build, next to the
# floor measured in the same run: a loop that only sums as many lognormal draws.
set -euo pipefail
cd "$(dirname "$0")/.."
design=${1:-Specs/examples/assembly-line.stackup.yaml}
samples=${2:-200000}
swift build -c release --product stackup-bench >/dev/null
"$(swift build -c release --show-bin-path)/stackup-bench" montecarlo "$design" "$samples"
