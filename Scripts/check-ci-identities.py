#!/usr/bin/env python3
"""What CI consumers need from Stackup across runs and working folders, checked as CI does.

Usage: check-ci-identities.py STACKUP_BINARY SARIF_SCHEMA
- SARIF from a subfolder with an absolute argument: valid against the official schema, every
  `uri` relative to the repository root with `uriBaseId` %SRCROOT%, `originalUriBaseIds` and
  `automationDetails` present.
- GitLab Code Quality: GitLab's documented fields, relative paths, and the same fingerprints
  after a line is inserted above every finding.
- JUnit (junitparser): no failures when the run exits 0, and the same test-case names after a
  line is inserted.
Exits 1 on any failure, printing each.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
from junitparser import JUnitXml

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def run(binary, args, cwd):
    return subprocess.run([binary] + args, cwd=cwd, capture_output=True, text=True)


def relative_ok(uri):
    return not re.match(r"^(/|\./|\.\./|file:)", uri) and "/../" not in uri


def check_sarif(binary, schema_path, repo):
    out = tempfile.mkdtemp()
    sub = os.path.join(repo, "Specs", "examples")
    r = run(binary, ["check", os.path.join(repo, "Specs", "examples"), "--report", f"sarif:{out}/s.sarif", "--category", "designs"], sub)
    if r.returncode not in (0, 1):
        return fail(f"SARIF run exited {r.returncode}: {r.stderr}")
    with open(f"{out}/s.sarif", encoding="utf-8") as f:
        sarif = json.load(f)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(sarif))
    for e in errors[:5]:
        fail(f"SARIF schema: {'/'.join(map(str, e.path))}: {e.message}")
    run0 = sarif["runs"][0]
    if "%SRCROOT%" not in run0.get("originalUriBaseIds", {}):
        fail("SARIF: no originalUriBaseIds.%SRCROOT%")
    if run0.get("automationDetails", {}).get("id") != "designs/":
        fail("SARIF: automationDetails.id is not `designs/`")
    if not run0.get("invocations", [{}])[0].get("workingDirectory", {}).get("uri", "").endswith("/Specs/examples/"):
        fail("SARIF: invocations[0].workingDirectory is not the subfolder")
    uris = []
    for result in run0["results"]:
        for loc in result["locations"] + result.get("relatedLocations", []):
            art = loc["physicalLocation"]["artifactLocation"]
            uris.append(art["uri"])
            if not relative_ok(art["uri"]) or art.get("uriBaseId") != "%SRCROOT%":
                fail(f"SARIF: {art} is not relative to %SRCROOT%")
                return
    if not any(u.startswith("Specs/examples/") for u in uris):
        fail("SARIF: no uri starts at the repository root")
    print(f"ok: SARIF from a subfolder: {len(run0['results'])} results, {len(uris)} uris relative to %SRCROOT%")


def gitlab_and_junit(binary, folder):
    r = run(binary, ["check", ".", "--report", "gitlab:gl.json", "--report", "junit:j.xml", "--format", "json"], folder)
    with open(os.path.join(folder, "gl.json"), encoding="utf-8") as f:
        issues = json.load(f)
    names = sorted(case.name for suite in JUnitXml.fromfile(os.path.join(folder, "j.xml")) for case in suite)
    os.remove(os.path.join(folder, "gl.json"))
    os.remove(os.path.join(folder, "j.xml"))
    return r, issues, names


def check_gitlab_and_junit(binary, repo):
    folder = tempfile.mkdtemp()
    shutil.copytree(os.path.join(repo, "Specs", "examples"), os.path.join(folder, "designs"))
    subprocess.run(["git", "init", "-q", folder], check=True)
    _, before, names_before = gitlab_and_junit(binary, folder)
    for issue in before:
        for key, kind in [("description", str), ("check_name", str), ("fingerprint", str)]:
            if not isinstance(issue.get(key), kind) or not issue[key]:
                fail(f"GitLab: `{key}` missing in {issue}")
                return
        if issue.get("severity") not in ("info", "minor", "major", "critical", "blocker"):
            fail(f"GitLab: severity {issue.get('severity')}")
        path = issue["location"]["path"]
        begin = issue["location"]["lines"]["begin"]
        if not relative_ok(path) or not path.startswith("designs/") or not isinstance(begin, int) or begin < 1:
            fail(f"GitLab: location {issue['location']}")
    if len({i["fingerprint"] for i in before}) != len(before):
        fail("GitLab: fingerprints repeat")
    # A comment line above every finding: lines move, identities must not.
    for root, _, files in os.walk(os.path.join(folder, "designs")):
        for name in files:
            p = os.path.join(root, name)
            with open(p, encoding="utf-8") as f:
                text = f.read()
            with open(p, "w", encoding="utf-8") as f:
                f.write("# a line added above everything\n" + text)
    _, after, names_after = gitlab_and_junit(binary, folder)
    lines_before = sorted(i["location"]["lines"]["begin"] for i in before)
    lines_after = sorted(i["location"]["lines"]["begin"] for i in after)
    if lines_before == lines_after:
        fail("GitLab: the inserted line did not move the findings (the check proves nothing)")
    kept = len({i["fingerprint"] for i in before} & {i["fingerprint"] for i in after})
    if kept != len(before) or len(after) != len(before):
        fail(f"GitLab: {kept} of {len(before)} fingerprints survived a line added above")
    else:
        print(f"ok: GitLab: {len(before)} issues, documented fields, relative paths, all fingerprints survive a line added above")
    if names_before != names_after:
        fail("JUnit: test-case names changed after a line was added above")
    else:
        print(f"ok: JUnit: {len(names_before)} test-case names survive a line added above")


def check_junit_green(binary, repo):
    folder = tempfile.mkdtemp()
    # Warnings and notes only: the run exits 0 at --fail-on error, so the report must be green.
    shutil.copy(os.path.join(repo, "Specs", "examples", "lean-inbound.stackup.yaml"), folder)
    with open(os.path.join(folder, "warn.stackup.yaml"), "w", encoding="utf-8") as f:
        f.write("stackup: 1\nentries:\n  web: {to: sdr, rate: 10/week}\nstages:\n  sdr:\n    routes: [{to: won}]\n  won: {outcome: won}\n  spare: {outcome: lost}\n")
    r = run(binary, ["check", ".", "--report", "junit:j.xml", "--fail-on", "error", "--format", "json"], folder)
    report = json.loads(r.stdout)
    severities = {f["severity"] for f in report["findings"]}
    if r.returncode != 0 or not severities or "error" in severities:
        return fail(f"JUnit: the green run needs warnings and no errors (exit {r.returncode}, {severities})")
    suites = list(JUnitXml.fromfile(os.path.join(folder, "j.xml")))
    cases = [c for s in suites for c in s]
    failed = [c for c in cases if not c.is_passed]
    if failed:
        fail(f"JUnit: {len(failed)} failing cases in a run that exited 0")
    else:
        print(f"ok: JUnit: a run that exits 0 with {len(report['findings'])} warnings and notes has {len(cases)} passing cases and no failure")


def main():
    binary, schema = os.path.abspath(sys.argv[1]), sys.argv[2]
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    check_sarif(binary, schema, repo)
    check_gitlab_and_junit(binary, repo)
    check_junit_green(binary, repo)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
