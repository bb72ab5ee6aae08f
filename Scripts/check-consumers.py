#!/usr/bin/env python3
"""Checks Stackup's outputs with real consumers, as CI does.

Usage: check-consumers.py SARIF_SCHEMA SARIF_FILE JUNIT_FILE JSON_REPORT DESIGN_FILES
- SARIF: the official 2.1.0 schema (draft-04), jsonschema's Draft4Validator with format checking;
  one result per finding of the JSON report of the same run.
- JUnit: parsed with junitparser: one case per finding, failing only for errors (the default
  --fail-on), one suite per file that has findings or was checked.
"""
import json
import sys

import jsonschema
from junitparser import JUnitXml


def main() -> int:
    schema_path, sarif_path, junit_path, json_path, design_files = sys.argv[1:]
    with open(json_path, encoding="utf-8") as f:
        findings = json.load(f)["findings"]
    want_results = len(findings)
    want_failures = sum(1 for f in findings if f["severity"] == "error")
    want_suites = len({f["location"]["file"] for f in findings} | set(design_files.split(",")))
    failures = 0
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(sarif_path, encoding="utf-8") as f:
        sarif = json.load(f)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = list(validator.iter_errors(sarif))
    for e in errors[:10]:
        print(f"SARIF: {'/'.join(map(str, e.path))}: {e.message}")
    results = len(sarif["runs"][0]["results"])
    print(f"SARIF: {results} results, {'valid' if not errors else 'INVALID'}")
    failures += len(errors) + (results != want_results)

    xml = JUnitXml.fromfile(junit_path)
    suites = list(xml)
    cases = [case for suite in suites for case in suite]
    failed = [case for case in cases if not case.is_passed]
    print(f"JUnit: {len(suites)} suites, {len(cases)} cases, {len(failed)} failing")
    if len(failed) != want_failures or len(suites) != want_suites or len(cases) < want_results:
        print(f"JUnit: expected {want_failures} failing cases of at least {want_results} in {want_suites} suites")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
