#!/usr/bin/env bash
# Cuts annex 1 (附件1 重点项目表) out of the plan's text into tests/data/annex1.txt, the text the
# test data_fidelity::the_served_projects_rebuild_annex_1_cell_for_cell compares the API with.
# The cut is by line number, so it refuses any other version of the plan: lines 862-2918 are
# the 附件1 heading through the last cell of the table (E04's empty 备注), verbatim.
#   bash tools/cut_annex1.sh path/to/000_65a248685a20fd53.txt
set -euo pipefail

plan="${1:?usage: bash tools/cut_annex1.sh path/to/000_65a248685a20fd53.txt}"
want=61a180c995269780bf11ab1a7d5b604865f16ebe129e4310eec9b64f4305e9c2
got="$(sha256sum "$plan" | cut -d' ' -f1)"
if [ "$got" != "$want" ]; then
    echo "$plan has SHA-256 $got, not the plan's $want: the line numbers would not fit" >&2
    exit 1
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/tests/data/annex1.txt"
sed -n '862,2918p' "$plan" >"$out"
# the ends of the cut, checked rather than trusted: it starts at the heading, and the plan
# goes on after it with two empty lines, where the next document begins
[ "$(head -n 1 "$out")" = "附件1" ]
[ -z "$(sed -n '2919,2920p' "$plan" | tr -d '\n')" ]
sha256sum "$out"
