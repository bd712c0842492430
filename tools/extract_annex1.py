#!/usr/bin/env python3
"""Extract annex 1 (重点项目表) of the plan into seed/annex1.json.

The seed text puts every table cell in its own paragraph, separated by blank lines; an empty
cell is a lone U+00A0. A cell that itself holds line breaks (content, remarks) spans several
paragraphs, so the rows are cut at anchors (the serial number, the two year cells followed by
the amounts) rather than by counting paragraphs. Every cell is kept verbatim; interpretation
(years, money, district) happens in the Rust loader, where it is tested.

Usage: python3 tools/extract_annex1.py tests/data/annex1.txt > seed/annex1.json
(tests/data/annex1.txt is the annex cut from the plan, see tests/data/README.md; the whole
plan, 000_65a248685a20fd53.txt, gives the same output.)
"""
import json
import re
import sys

EMPTY = "\u00a0"
YEARISH = re.compile(r"^\s*\d{4}")
CATEGORY = re.compile(r"^[一二三四五]、(.+)项目[(（](\d+)个[)）]$")
TOTAL = re.compile(r"^总计项目[(（](\d+)[)）]$")
NATURES = {"新建", "改扩建", "改建", "续建", "新建或续建"}
# Owner cells that span several paragraphs: nothing in the text separates the owner cell from
# the content cell, so these were read off the table and are listed here by (category, 序号).
OWNER_LINES = {(3, 5): 3, (3, 7): 2}


def cell(p):
    return "" if p.strip(EMPTY + " ") == "" else p


def main(path):
    text = open(path, encoding="utf-8").read().split("\n")
    start = text.index("附件1")
    paras = []
    for line in text[start:]:
        if line == "":
            continue
        paras.append(line)
    # the table ends where the next document's title page begins
    i = paras.index("备注") + 1
    out = {"total": None, "categories": []}
    m = TOTAL.match(paras[i])
    out["total"] = {
        "label": paras[i],
        "count": int(m.group(1)),
        "total_investment": cell(paras[i + 3]),
        "planned_investment": cell(paras[i + 4]),
    }
    assert cell(paras[i + 1]) == cell(paras[i + 2]) == cell(paras[i + 5]) == cell(paras[i + 6]) == ""
    i += 7
    cat = None
    expected = 1
    while i < len(paras):
        p = paras[i]
        m = CATEGORY.match(p)
        if m:
            cat = {
                "label": p,
                "name": m.group(1),
                "count": int(m.group(2)),
                "total_investment": cell(paras[i + 3]),
                "planned_investment": cell(paras[i + 4]),
                "projects": [],
            }
            assert cell(paras[i + 1]) == cell(paras[i + 2]) == cell(paras[i + 5]) == cell(paras[i + 6]) == ""
            out["categories"].append(cat)
            expected = 1
            i += 7
            continue
        if p.strip() != str(expected):
            break
        serial, name = p, paras[i + 1]
        j = i + 2
        # 建设性质 can itself break over lines (三-5 prints 新建 and 改建 on two lines)
        nature = []
        while paras[j] in NATURES:
            nature.append(paras[j])
            j += 1
        n_owner = OWNER_LINES.get((len(out["categories"]), expected), 1)
        owner = paras[j : j + n_owner]
        j += n_owner
        content = []
        while not (YEARISH.match(paras[j]) and YEARISH.match(paras[j + 1]) and len(content) > 0):
            content.append(paras[j])
            j += 1
        start_y, end_y, total, planned, share = paras[j : j + 5]
        j += 5
        remarks = []
        while j < len(paras):
            q = paras[j]
            if CATEGORY.match(q) or q.strip() == str(expected + 1) and len(remarks) > 0:
                break
            if q.strip() == str(expected + 1) and not remarks:
                break
            remarks.append(q)
            j += 1
            if len(remarks) >= 1 and cell(remarks[0]) == "":
                break
        cat["projects"].append(
            {
                "serial": serial,
                "name": name,
                "nature": "\n".join(nature),
                "owner": "\n".join(owner),
                "content": "\n".join(content),
                "start_year": cell(start_y),
                "end_year": cell(end_y),
                "total_investment": cell(total),
                "planned_investment": cell(planned),
                "social_share": cell(share),
                "remarks": cell("\n".join(remarks)),
            }
        )
        expected += 1
        i = j
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
