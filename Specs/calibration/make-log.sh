#!/usr/bin/env bash
# Remakes stage-history.csv from truth.yaml, as a CRM export would hold it: the simulated
# journeys up to the export's date, 2026-02-16 (cases open then have no later rows and no
# leaving time), with a "Nurture email" activity that the design does not know.
set -euo pipefail
cd "$(dirname "$0")"
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
swift run -q --package-path ../.. stackup simulate truth.yaml --customers 1200 --seed 3 --events "$raw" >/dev/null
python3 - "$raw" > stage-history.csv <<'PY'
import csv, sys
cut = "2026-02-16T00:00:00Z"
rows = list(csv.reader(open(sys.argv[1], newline="")))
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["case_id", "stage", "timestamp", "left"])
for case, stage, entered, left in rows[1:]:
    if entered > cut:
        continue
    out.writerow([case, stage, entered, left if left and left <= cut else ""])
    # Every 40th case gets a nurture email an hour into its first SDR visit.
    number = int(case.split("-")[1])
    if stage == "sdr" and number % 40 == 0 and entered[11:13] < "23":
        out.writerow([case, "Nurture email", entered[:11] + "%02d" % (int(entered[11:13]) + 1) + entered[13:], ""])
PY
echo "wrote stage-history.csv: $(($(wc -l < stage-history.csv) - 1)) rows"
