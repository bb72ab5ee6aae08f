#!/usr/bin/env python3
"""Writes a synthetic design for benchmarks: STAGES stages in a layered journey, 6 attributes
(3 numbers, 2 enumerations, 1 boolean), criteria and first-match routes on every stage,
and a few loop-backs. Deterministic for a given seed.

Usage: make-synthetic-design.py STAGES SEED > design.stackup.yaml
"""
import random
import sys


def main() -> None:
    stages, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    out = ["stackup: 1", "name: synthetic benchmark design", "customer:", "  attributes:",
           "    score: {min: 0, max: 100}", "    deal: {min: 0, max: 1000000}", "    employees: {min: 1, max: 100000}",
           "    segment: [smb, mid, enterprise, strategic]", "    region: [emea, amer, apac]", "    inbound: boolean",
           "  committee: [economic_buyer, champion, technical_evaluator, procurement]", "  max_loops: 1",
           "  never_ask_twice: [pain, budget]", "  max_handoffs: 6",
           "entries:", "  web: {to: s0, rate: 400/week}", "  list: {to: s1, rate: 100/week}", "stages:"]

    def condition(kind=None) -> str:
        kind = rng.randrange(6) if kind is None else kind
        if kind == 0:
            lo = rng.randrange(0, 90, 5)
            return f'score: ">= {lo}, < {lo + rng.randrange(5, 40, 5)}"'
        if kind == 1:
            return f'deal: ">= {rng.randrange(0, 500000, 5000)}"'
        if kind == 2:
            return f'employees: "< {rng.randrange(10, 50000, 10)}"'
        if kind == 3:
            return "segment: [" + ", ".join(rng.sample(["smb", "mid", "enterprise", "strategic"], rng.randrange(1, 4))) + "]"
        if kind == 4:
            return "region: {except: [" + rng.choice(["emea", "amer", "apac"]) + "]}"
        return f"inbound: {rng.choice(['true', 'false'])}"

    for i in range(stages):
        out.append(f"  s{i}:")
        out.append("    sla: {p50: 1d, p90: 3bd}")
        fields = ["company", "pain", "budget", "timeline", "requirements"]
        roles = ["economic_buyer", "champion", "technical_evaluator", "procurement"]
        if rng.random() < 0.3:
            out.append("    contact: true")
        if rng.random() < 0.1:
            out.append("    owns_relationship: true")
        out.append("    captures: [" + ", ".join(rng.sample(fields, rng.randrange(0, 3))) + "]")
        out.append("    requires: [" + ", ".join(rng.sample(fields, rng.randrange(0, 2))) + "]")
        if rng.random() < 0.3:
            out.append("    hands_off: [" + ", ".join(rng.sample(fields, rng.randrange(1, 4))) + "]")
        out.append("    engages: [" + ", ".join(rng.sample(roles, rng.randrange(0, 2))) + "]")
        if rng.random() < 0.2:
            out.append("    accepts: {" + condition() + "}")
            out.append("    rejects_to: lost")
        out.append("    routes:")
        for _ in range(rng.randrange(1, 4)):
            target = f"s{min(stages - 1, i + rng.randrange(1, 6))}" if i < stages - 1 else "won"
            if i > 10 and rng.random() < 0.03:
                target = f"s{rng.randrange(max(0, i - 10), i)}"  # a loop-back
            out.append(f"      - to: {target}")
            kinds = rng.sample(range(6), rng.randrange(1, 3))
            out.append("        when: {" + ", ".join(condition(k) for k in kinds) + "}")
        # The catch-all usually carries on down the line, so that customers flow deep.
        nxt = "won" if i == stages - 1 else f"s{i + 1}"
        out.append(f"      - to: {nxt}" if rng.random() < 0.85 else f"      - to: {rng.choice(['won', 'lost'])}")
    out += ["  won: {outcome: won}", "  lost: {outcome: lost}"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
