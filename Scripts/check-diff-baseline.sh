#!/usr/bin/env bash
# The diff-and-baseline scenario, end to end on the built binary: two versions of an example
# design (Specs/changes), where the second adds a handoff that breaks a promise.
#   usage: Scripts/check-diff-baseline.sh path/to/stackup
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/Specs/changes/before" "$root/Specs/changes/after" "$work/"
cd "$work"
failures=0

# run EXPECTED-EXIT DESCRIPTION ARGS...: output in out.txt and err.txt.
run() {
  local want=$1 what=$2; shift 2
  local got=0
  "$bin" "$@" >out.txt 2>err.txt || got=$?
  if [ "$got" = "$want" ]; then echo "ok: $what exits $want"; else
    echo "FAIL: $what exited $got, expected $want"; cat out.txt err.txt; failures=$((failures + 1)); fi
}
# has FILE PATTERN DESCRIPTION: an extended regex that must match.
has() {
  if grep -Eq -- "$2" "$1"; then echo "ok: $3"; else echo "FAIL: $3 (no /$2/ in $1)"; cat "$1"; failures=$((failures + 1)); fi
}

run 1 "diff before after" diff before after
has out.txt '^  error\[promise-broken\] after/lean-inbound\.stackup\.yaml:[0-9]+:[0-9]+: promise `close` is broken' "diff names the new finding"
has out.txt '^  close +16\.7 d +22\.9 d +\+38% ✗' "diff gives the p90 delta of close"
run 0 "diff of a version with itself" diff before before
run 1 "diff --format markdown" diff before after --format markdown
has out.txt '^\| `close` \| 16\.7 d → 22\.9 d \| \+38% ✗ \|' "markdown gives the p90 delta"
# With the new finding lowered to a warning, only the p90 regression can fail the diff.
printf 'rules:\n  promise-broken: warning\n' > lowered.yml
run 1 "diff, finding lowered, p90 38% slower than the 10% allowed" diff before after --config lowered.yml
has out.txt '^Fails: 1 promise with p90 slower by more than 10%\.$' "the regression alone is the reason"
run 0 "diff, finding lowered, 50% allowed" diff before after --config lowered.yml --max-regression 50

run 1 "check after, no baseline" check after
run 0 "check after --write-baseline" check after --write-baseline baseline.json
has baseline.json '"rule": "promise-broken", "file": "after/lean-inbound.stackup.yaml"' "the baseline records the finding"
run 0 "check after --baseline" check after --baseline baseline.json
run 0 "check after --baseline --strict-baseline, nothing fixed" check after --baseline baseline.json --strict-baseline

# The fix: the deal desk commits to a shorter SLA, and the promise holds again.
sed -i 's/sla: {p50: 4bd, p90: 8bd}/sla: {p50: 1bd, p90: 2bd}/' after/lean-inbound.stackup.yaml
run 0 "check the fix --baseline" check after --baseline baseline.json
run 1 "check the fix --baseline --strict-baseline" check after --baseline baseline.json --strict-baseline
has err.txt 'baseline\.json:5:5: baseline entry `promise-broken` in `after/lean-inbound\.stackup\.yaml` matches no finding any more' "strict names the fixed entry"

# --git: the base version read from a commit, includes and all.
mkdir repo && cd repo
git init -q . && mkdir Specs && cp ../before/lean-inbound.stackup.yaml Specs/
git add -A && git -c user.name=ci -c user.email=ci@example.invalid commit -qm before
sed 's/sla: {p50: 1bd, p90: 2bd}/sla: {p50: 4bd, p90: 8bd}/' ../after/lean-inbound.stackup.yaml > Specs/lean-inbound.stackup.yaml
run 1 "diff --git HEAD Specs" diff --git HEAD Specs
has out.txt '^  error\[promise-broken\] Specs/lean-inbound\.stackup\.yaml:[0-9]+:[0-9]+: promise `close` is broken' "diff --git names the new finding"
run 2 "diff --git with an unknown revision" diff --git no-such-ref Specs
has err.txt '`no-such-ref` is not a commit' "the unknown revision is named"

echo "diff/baseline: $failures failed"
[ "$failures" -eq 0 ]
