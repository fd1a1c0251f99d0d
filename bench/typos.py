#!/usr/bin/env python3
"""A realistic ledger for "did you mean": 5,000 declared persons and 300
engagements whose participant is a declared id with one letter changed.

    bench/typos.py OUT [PERSONS] [TYPOS]

`track2 check OUT` should report 300 undeclared persons, each with a
suggestion (BENCHMARKS.md, "What bounds did you mean"). Seeded, so every
run writes the same file.
"""
import random
import sys

out = sys.argv[1]
persons = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
typos = int(sys.argv[3]) if len(sys.argv) > 3 else 300
letters = "abcdefghijklmnopqrstuvwxyz"
rng = random.Random(1)

lines = ["party AM Armenia", "party AZ Azerbaijan", "format forum Forum", ""]
names = []
for i in range(persons):
    name = "".join(rng.choice(letters) for _ in range(rng.randint(5, 12))) + str(i)
    names.append(name)
    lines.append(f"person {name} Person {i}\n  party: AM\n")
for i in range(typos):
    name = list(rng.choice(names))
    # Change one letter (never the numeric suffix) to the next in the alphabet.
    at = rng.randrange(len(name) - 1)
    if name[at].isalpha():
        name[at] = letters[(letters.index(name[at]) + 1) % 26]
    else:
        name[at] = "x"
    lines.append(
        f"2025-01-{i % 28 + 1:02d} AM -> AZ Forum {i}\n"
        f"  format: forum\n  participants: {''.join(name)}\n"
    )
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
