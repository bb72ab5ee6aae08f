#!/usr/bin/env python3
"""The GitHub Actions side, checked as CI does.

Usage: check-actions.py
- Every workflow in docs/ci.md (a ```yaml block with `jobs:`) passes `actionlint`.
- action.yml is a composite action, each of its inputs is documented in docs/ci.md's inputs
  table, and the table names no input the action lacks.
Exits 1 on any failure.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
failures = 0
with open(os.path.join(root, "docs", "ci.md"), encoding="utf-8") as f:
    doc = f.read()

blocks = [b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if re.search(r"^jobs:", b, re.M)]
work = tempfile.mkdtemp()
os.makedirs(os.path.join(work, ".github", "workflows"))
for i, block in enumerate(blocks):
    with open(os.path.join(work, ".github", "workflows", f"doc-{i + 1}.yml"), "w", encoding="utf-8") as f:
        f.write(block)
# A workflow using the action itself, so that actionlint also checks action.yml's inputs.
with open(os.path.join(root, "action.yml"), encoding="utf-8") as f:
    action_text = f.read()
with open(os.path.join(work, "action.yml"), "w", encoding="utf-8") as f:
    f.write(action_text)
with open(os.path.join(work, ".github", "workflows", "uses-action.yml"), "w", encoding="utf-8") as f:
    f.write("on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - uses: ./\n        with:\n          paths: designs/\n          fail-on: warning\n          category: designs\n          upload-sarif: 'false'\n")
subprocess.run(["git", "init", "-q", work], check=True)
r = subprocess.run(["actionlint", "-no-color"], cwd=work, capture_output=True, text=True)
if r.returncode != 0 or not blocks:
    print(f"FAIL: actionlint on {len(blocks)} documented workflows:\n{r.stdout}{r.stderr}")
    failures += 1
else:
    print(f"ok: actionlint passes {len(blocks)} workflows from docs/ci.md")

with open(os.path.join(root, "action.yml"), encoding="utf-8") as f:
    action = yaml.safe_load(f)
if action.get("runs", {}).get("using") != "composite" or not action["runs"].get("steps"):
    print("FAIL: action.yml is not a composite action with steps")
    failures += 1
inputs = set(action.get("inputs", {}))
table = set(re.findall(r"^\| `([a-z-]+)` \| `[^`]*` \|", doc[doc.index("### The Stackup action"):], re.M))
for name, spec in action.get("inputs", {}).items():
    if not spec.get("description"):
        print(f"FAIL: input `{name}` has no description"); failures += 1
if inputs != table:
    print(f"FAIL: action.yml inputs {sorted(inputs)} differ from those documented in docs/ci.md {sorted(table)}")
    failures += 1
else:
    print(f"ok: action.yml is composite; its inputs {sorted(inputs)} are documented in docs/ci.md")
sys.exit(1 if failures else 0)
