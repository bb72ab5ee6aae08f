#!/usr/bin/env python3
"""Writes a valid synthetic design for Benchmarks/run. Deterministic for a given seed.

Usage: generate.py OUT.stackup.yaml [--stages N] [--routes R] [--attributes A]
                   [--conditions simple|negated|all] [--max-loops L] [--includes K] [--seed S]

- stages: specialists in a layered journey, plus `won` and `lost`;
- routes: first-match routes per stage (the last one has no `when`);
- attributes: 1..12, cycling through numbers, enumerations and a boolean;
- conditions: `simple` uses `>=`, `<`, ranges, lists, `except` and booleans; `negated` uses only
  `!=`, `not` and `any`; `all` mixes every form;
- max-loops: `customer.max_loops`; about 3% of routes loop back;
- includes: the stages are split over K more files next to OUT, joined by `include`.
Comments are sprinkled through every file, as people write them.
"""
import argparse
import os
import random

NUMBERS = [("score", 0, 100), ("deal", 0, 1000000), ("employees", 1, 100000), ("age_days", 0, 3650),
           ("seats", 1, 5000), ("usage", 0, 1000)]
ENUMS = [("segment", ["smb", "mid", "enterprise", "strategic"]), ("region", ["emea", "amer", "apac"]),
         ("source", ["web", "event", "partner", "outbound"]), ("industry", ["saas", "retail", "finance", "health", "public"])]
BOOLEANS = ["inbound", "renewal"]


def attribute_table(count):
    """The first `count` attributes, cycling number, enumeration, number, boolean…"""
    order = []
    n = e = b = 0
    pattern = ["n", "e", "n", "b", "n", "e"]
    while len(order) < count:
        kind = pattern[len(order) % len(pattern)]
        if kind == "n" and n < len(NUMBERS):
            order.append(("number",) + NUMBERS[n]); n += 1
        elif kind == "e" and e < len(ENUMS):
            order.append(("enum",) + ENUMS[e]); e += 1
        elif kind == "b" and b < len(BOOLEANS):
            order.append(("bool", BOOLEANS[b])); b += 1
        elif n < len(NUMBERS):
            order.append(("number",) + NUMBERS[n]); n += 1
        elif e < len(ENUMS):
            order.append(("enum",) + ENUMS[e]); e += 1
        else:
            order.append(("bool", BOOLEANS[b])); b += 1
    return order


class Conditions:
    def __init__(self, rng, attributes, forms):
        self.rng, self.attributes, self.forms = rng, attributes, forms

    def number(self, lo, hi, form):
        r = self.rng
        step = max(1, (hi - lo) // 20)
        x = r.randrange(lo, hi, step)
        if form == "ge":
            return f'">= {x}"'
        if form == "lt":
            return f'"< {max(x, lo + 1)}"'
        if form == "range":
            return f'">= {x}, < {x + step * r.randrange(1, 6)}"'
        return f'"!= {x}"'

    def test(self, attribute, negated):
        r = self.rng
        kind = attribute[0]
        if kind == "number":
            _, name, lo, hi = attribute
            form = "ne" if negated else r.choice(["ge", "lt", "range"])
            return f"{name}: {self.number(lo, hi, form)}"
        if kind == "enum":
            _, name, values = attribute
            if negated or r.random() < 0.3:
                return f"{name}: {{except: [{r.choice(values)}]}}"
            return f"{name}: [" + ", ".join(r.sample(values, r.randrange(1, len(values)))) + "]"
        return f"{attribute[1]}: {r.choice(['true', 'false'])}"

    def plain(self, negated, keys):
        chosen = self.rng.sample(self.attributes, min(keys, len(self.attributes)))
        return "{" + ", ".join(self.test(a, negated) for a in chosen) + "}"

    def condition(self):
        r = self.rng
        keys = r.randrange(1, 3)
        if self.forms == "simple":
            return self.plain(False, keys)
        if self.forms == "negated":
            choice = r.randrange(3)
        else:
            choice = r.randrange(5)
        if choice == 0:
            return self.plain(True, keys)
        if choice == 1:
            return "{not: " + self.plain(r.random() < 0.5, 1) + "}"
        if choice == 2:
            return "{any: [" + ", ".join(self.plain(r.random() < 0.5, 1) for _ in range(r.randrange(2, 4))) + "]}"
        return self.plain(False, keys)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--stages", type=int, default=1000)
    p.add_argument("--routes", type=int, default=3)
    p.add_argument("--attributes", type=int, default=6)
    p.add_argument("--conditions", choices=["simple", "negated", "all"], default="simple")
    p.add_argument("--max-loops", type=int, default=1)
    p.add_argument("--includes", type=int, default=0)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    rng = random.Random(a.seed)
    attributes = attribute_table(max(1, min(12, a.attributes)))
    conditions = Conditions(rng, attributes, a.conditions)

    head = ["# A synthetic design written by Benchmarks/generate.py; do not edit.",
            f"# stages={a.stages} routes={a.routes} attributes={len(attributes)} conditions={a.conditions} "
            f"max_loops={a.max_loops} includes={a.includes} seed={a.seed}",
            "stackup: 1", "name: synthetic benchmark design"]
    base = os.path.splitext(os.path.splitext(os.path.basename(a.out))[0])[0]
    parts = [f"{base}.part{k}.stackup.yaml" for k in range(a.includes)]
    if parts:
        head.append("include: [" + ", ".join(parts) + "]")
    head += ["customer:", "  attributes:"]
    for attribute in attributes:
        if attribute[0] == "number":
            head.append(f"    {attribute[1]}: {{min: {attribute[2]}, max: {attribute[3]}}}")
        elif attribute[0] == "enum":
            head.append(f"    {attribute[1]}: [{', '.join(attribute[2])}]")
        else:
            head.append(f"    {attribute[1]}: boolean")
    head += ["  committee: [economic_buyer, champion, technical_evaluator, procurement]",
             f"  max_loops: {a.max_loops}", "  never_ask_twice: [pain, budget]", "  max_handoffs: 6",
             "  promises:", "    decision: {to: won, p90: 60d}", "    first_touch: {to: first-contact, p90: 2bd}",
             "entries:", "  web: {to: s0, rate: 400/week}   # inbound form fills",
             "  list: {to: s1, rate: 100/week}  # purchased lists"]

    fields = ["company", "pain", "budget", "timeline", "requirements"]
    roles = ["economic_buyer", "champion", "technical_evaluator", "procurement"]
    stage_lines = []
    n = a.stages
    for i in range(n):
        s = [f"  s{i}:"]
        if rng.random() < 0.1:
            s.append(f"    # team {i // 10}: a comment as people leave them")
        s.append("    sla: {p50: 1d, p90: 3bd}" if rng.random() < 0.7 else "    sla: {within: 4bh}")
        if rng.random() < 0.3:
            s.append("    contact: true")
        if rng.random() < 0.1:
            s.append("    owns_relationship: true")
        s.append("    captures: [" + ", ".join(rng.sample(fields, rng.randrange(0, 3))) + "]")
        s.append("    requires: [" + ", ".join(rng.sample(fields, rng.randrange(0, 2))) + "]")
        if rng.random() < 0.3:
            s.append("    hands_off: [" + ", ".join(rng.sample(fields, rng.randrange(1, 4))) + "]")
        s.append("    engages: [" + ", ".join(rng.sample(roles, rng.randrange(0, 2))) + "]")
        if rng.random() < 0.2:
            s.append(f"    accepts: {conditions.condition()}")
            s.append("    rejects_to: lost")
        s.append("    routes:")
        for _ in range(max(0, a.routes - 1)):
            target = f"s{min(n - 1, i + rng.randrange(1, 6))}" if i < n - 1 else "won"
            if i > 10 and rng.random() < 0.03:
                target = f"s{rng.randrange(max(0, i - 10), i)}"  # a loop-back
            s.append(f"      - to: {target}")
            s.append(f"        when: {conditions.condition()}")
            if rng.random() < 0.05:
                s.append("        delay: {within: 2d}")
        # The catch-all usually carries on down the line, so that customers flow deep.
        nxt = "won" if i == n - 1 else f"s{i + 1}"
        s.append(f"      - to: {nxt}" if rng.random() < 0.85 else f"      - to: {rng.choice(['won', 'lost'])}")
        stage_lines.append(s)
    outcomes = ["  won: {outcome: won}", "  lost: {outcome: lost}"]

    files = {a.out: head + ["stages:"]}
    if parts:
        per = (n + len(parts)) // (len(parts) + 1)
        files[a.out] += [line for s in stage_lines[:per] for line in s] + outcomes
        folder = os.path.dirname(os.path.abspath(a.out))
        for k, part in enumerate(parts):
            chunk = stage_lines[per * (k + 1):per * (k + 2)]
            files[os.path.join(folder, part)] = ["# part of the synthetic design", "stages:"] + [line for s in chunk for line in s]
            if not chunk:
                files[os.path.join(folder, part)][-1] = "stages: {}"
    else:
        files[a.out] += [line for s in stage_lines for line in s] + outcomes
    for path, lines in files.items():
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
