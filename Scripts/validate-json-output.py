#!/usr/bin/env python3
"""Validates `stackup check --format json` output against docs/output.schema.json.

Usage: validate-json-output.py SCHEMA REPORT.json [REPORT.json ...]
Also checks that the schema can fail: a copy of the first report with line 0 must be rejected.
"""
import copy
import json
import sys

import jsonschema


def main() -> int:
    schema_path, *reports = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    failures = 0
    first = None
    for path in reports:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        first = first or report
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        for error in errors:
            print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}")
        failures += len(errors)
        print(f"{path}: {len(report['findings'])} findings, {'valid' if not errors else 'INVALID'}")
    if first and first["findings"]:
        broken = copy.deepcopy(first)
        broken["findings"][0]["location"]["line"] = 0
        if validator.is_valid(broken):
            print("the schema accepted a finding at line 0: it cannot fail")
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
