#!/usr/bin/env bash
# The trust figures: how many requests the suites that attack the API sent, how many answers
# were unexpected (a 500, or anything the API document does not give, as the API tests'
# checking proxy sees them: tests/tests/api/proxy.rs) and how many writes were lost
# (acknowledged and missing, or refused and taken effect anyway), on SQLite and PostgreSQL,
# and for the SIGKILL crash rounds. Prints the markdown table of docs/trust.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
bash scripts/ensure-test-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
suites=(access_matrix:: csrf:: accounts:: logins:: concurrency:: input_rules:: errors:: money_limits:: contract::)
cargo build --locked -p keyproj-backend --bin keyproj
KEYPROJ_TEST_TALLY="$out/SQLite.tsv" cargo test --locked -p keyproj-tests --test api -- "${suites[@]}"
KEYPROJ_TEST_TALLY="$out/PostgreSQL.tsv" bash scripts/with-postgres.sh \
    cargo test --locked -p keyproj-tests --test api -- "${suites[@]}"
bash scripts/kill-test.sh 3 2 | tee "$out/kill.txt"

python3 - "$out" <<'PY'
import re, sys, os
out = sys.argv[1]
groups = [
    ("access matrix (every operation × stranger and five roles)", ["access_matrix::"]),
    ("CSRF (every unsafe route, cross-site and without the header)", ["csrf::"]),
    ("sessions and logins", ["accounts::", "logins::"]),
    ("concurrency (same ETag, retried keys)", ["concurrency::"]),
    ("bad input (bodies, queries, limits, money ceiling)",
     ["input_rules::", "errors::", "money_limits::", "contract::"]),
]
print("| test | engine | tests | requests | unexpected | lost |")
print("|---|---|---|---|---|---|")
for name, prefixes in groups:
    for engine in ("SQLite", "PostgreSQL"):
        tests, sums = set(), [0, 0, 0]
        with open(os.path.join(out, f"{engine}.tsv")) as f:
            for line in f:
                test, *n = line.rstrip("\n").split("\t")
                if any(test.startswith(p) for p in prefixes):
                    tests.add(test)
                    sums = [a + int(b) for a, b in zip(sums, n)]
        print(f"| {name} | {engine} | {len(tests)} | {sums[0]} | {sums[1]} | {sums[2]} |")
kill = open(os.path.join(out, "kill.txt")).read()
def figure(label):
    m = re.search(re.escape(label) + r"\s*(\d+)", kill)
    return m.group(1) if m else "?"
print(f"| crash rounds (SIGKILL during submissions, {figure('rounds (SIGKILL + restart):')} kills) | SQLite | 1 "
      f"| {figure('submission requests sent:')} | 0 | {figure('acknowledged but missing:')} |")
PY
