"""What the fast ingest path (ADR 0067) must not change: the compiled validator judges
exactly like `Kind.validate`; unchanged re-sends write nothing; a process killed in the
middle of a batch leaves whole chunks only, and a rerun completes the batch."""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from freezegun import freeze_time

from tests.factories import make_uscc
from xinjian.collection.ingest.columns import stored
from xinjian.collection.ingest.engine import Ingestion
from xinjian.collection.ingest.fields import TODAY
from xinjian.collection.ingest.kinds import KINDS, get_kind
from xinjian.collection.models import BatchStatus, IngestBatch, Penalty, RecordVersion
from xinjian.core.actors import Actor
from xinjian.core.models import Event

from .helpers import enterprise, one_of_each

SYSTEM = Actor("api:test")
DAY = dt.date(2024, 11, 20)

# Values that each field type must judge the same way on both paths.
ODD_VALUES: list[Any] = [
    None,
    "",
    "   ",
    [],
    {},
    0,
    -1,
    7,
    1.5,
    float("nan"),
    True,
    "abc",
    " 2024-03-05 ",
    "2024/3/5",
    "2024-02-30",
    "2099-01-01",
    "2024-11-20",
    "2024-11-21",
    "1,000.50",
    "-3",
    "1e400",
    "NaN",
    "1_000",
    "5000",
    "fine",
    "罚款",
    "warning;fine",
    "warning;nonsense",
    ["warning", "fine"],
    ["warning", 3],
    "含\x00空字符",
    "孤\ud800立",
    "长" * 201,
    "９１４４０３００ＭＡ５Ｆ８Ｎ８Ｔ４Ｂ",
    "440305",
    "12345678901234X",
    "123456789012345",
]


def _variants(rec: dict[str, Any], rng: random.Random) -> list[Any]:
    out: list[Any] = [rec, [rec], "not a record"]
    for name in list(rec):
        dropped = dict(rec)
        del dropped[name]
        out.append(dropped)
        out.append({**rec, name: f"  {rec[name]}  "} if isinstance(rec[name], str) else {**rec, name: None})
    names = list(rec) + ["fine_amount", "published_on", "valid_until", "scope", "aggravated", "extra"]
    for _ in range(300):
        r = copy.deepcopy(rec)
        for name in rng.sample(names, rng.randint(1, 3)):
            r[name] = rng.choice(ODD_VALUES)
        out.append(r)
    return out


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_the_compiled_validator_judges_every_record_exactly_like_validate(kind_name):
    kind = get_kind(kind_name)
    uscc = make_uscc("440305")
    base = enterprise(uscc) if kind_name == "enterprises" else one_of_each(uscc)[kind_name]
    if kind_name == "penalties":
        base = {**base, "fine_amount": "5000.00", "penalty_types": "warning;fine", "aggravated": "否"}
    rng = random.Random(kind_name)
    token = TODAY.set(DAY)
    try:
        compiled = kind.compiled(DAY)
        for raw in _variants(base, rng):
            assert compiled(copy.deepcopy(raw)) == kind.validate(copy.deepcopy(raw)), raw
    finally:
        TODAY.reset(token)


COLUMNAR = sorted(n for n, k in KINDS.items() if k.columnar)


def test_the_set_based_kinds_are_judged_column_by_column():
    assert COLUMNAR == ["commitments", "complaints", "inspections", "list-decisions", "penalties"]


@pytest.mark.parametrize("kind_name", COLUMNAR)
@freeze_time("2024-11-20")
def test_the_column_judge_agrees_with_validate_record_by_record(kind_name):
    """Same rejects (index and errors, duplicates included) and the same stored values
    for every valid record, over ~300 mutated records in chunks of 37 per kind, with
    values of every shape (strings from files, numbers, lists and booleans from JSON)."""
    kind = get_kind(kind_name)
    uscc = make_uscc("440305")
    base = one_of_each(uscc)[kind_name]
    if kind_name == "penalties":
        base = {**base, "fine_amount": "5000.00", "penalty_types": "warning;fine", "aggravated": "否"}
    rng = random.Random(f"columns-{kind_name}")
    records: list[Any] = []
    for n, raw in enumerate(_variants(base, rng)):
        if isinstance(raw, dict) and n % 3:
            raw = {**raw, "source_id": f"{raw.get('source_id')}-{n % 50}"}  # some keys repeat
        records.append(raw)
    records += [
        {**base, "source_id": "json-1", "penalty_types": ["fine"], "fine_amount": 12, "aggravated": True},
        {**base, "source_id": "json-2", "fine_amount": "0.5", "published_on": "2024-06-01"},
        {**base, "source_id": "json-4", "published_on": "2024-01-01", "aggravated": "是"},
        {**base, "source_id": " json-3 ", "fine_amount": "12.345", "decided_on": "2024-11-20"},
        {**base, "source_id": "tab\tand\\back"},
    ]
    columnar = Ingestion(kind, source="src", actor=SYSTEM)
    reference = Ingestion(kind, source="src", actor=SYSTEM, fast=False)
    assert columnar.judge is not None and reference.judge is None
    items = list(enumerate(copy.deepcopy(records)))
    for start in range(0, len(items), 37):
        chunk = items[start : start + 37]
        cols, col_rejects = columnar.validate(copy.deepcopy(chunk))
        rows, row_rejects = reference.validate(copy.deepcopy(chunk))
        assert sorted((r.index, r.errors) for r in col_rejects) == sorted(
            (r.index, r.errors) for r in row_rejects
        )
        assert cols.index == [r.index for r in rows]
        for p, row in enumerate(rows):
            for name in kind.fields:
                assert cols.values[name][p] == stored(row.values[name]), (row.raw, name)


CSV_ROWS = [
    "source_id,uscc,decision_no,decided_on,decided_by,domain,violation,penalty_types,fine_amount,extra",
    "B-1,{u},文号1,2024-03-05,局,food_safety,违法,warning;fine,100,x",
    "B-2,{u},文号2,2024-03-05,局,food_safety,违法,warning,,",
    ",,,,,,,,,",  # blank: no record
    "B-3,{u},文号3,2099-01-01,局,food_safety,违法,warning,,",  # future: rejected
    "B-4,{u},文号4,2024-03-05,局,food_safety,违法,warning",  # short row
    "   ,  ,,,,,,,,  ",  # whitespace in known columns: a record without values
    ",,,,,,,,,only-unmapped",  # a record with nothing known: rejected
    'B-5,{u},"文号\t5",2024-03-05,局,food_safety,"多行\n违法",warning,,',
    "B-6,{u},文号\x006,2024-03-05,局,food_safety,违法,warning,,",  # NUL: unreadable
    "B-1,{u},文号1,2024-03-05,局,food_safety,违法,warning;fine,100,x",  # duplicate key
    "B-7,{u},文号7,2024-03-05,局,food_safety,违法,罚款,5.5,",  # a label, an amount to pad
]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 50])
def test_a_csv_read_a_block_at_a_time_gives_the_records_read_one_by_one(size):
    from xinjian.collection.ingest.files import COMMAND_LIMITS, read_file

    uscc = make_uscc("440305")
    data = "\n".join(CSV_ROWS).format(u=uscc).encode()
    kind = get_kind("penalties")
    one_by_one = list(enumerate(read_file(kind, io.BytesIO(data), "p.csv", COMMAND_LIMITS).records))
    sheet = read_file(kind, io.BytesIO(data), "p.csv", COMMAND_LIMITS)
    assert sheet.blocks is not None
    blocks = list(sheet.blocks(size))
    assert [item for block in blocks for item in block] == one_by_one
    assert len(one_by_one) == len(CSV_ROWS) - 2  # the header and the blank row


@pytest.mark.django_db
@freeze_time("2024-11-20")
def test_the_command_reading_blocks_stores_what_the_records_path_stores(tmp_path, enterprise_factory):
    from django.core.management import call_command

    ent = enterprise_factory()
    path = tmp_path / "p.csv"
    path.write_text("\n".join(CSV_ROWS).format(u=ent.uscc), encoding="utf-8")
    call_command("ingest", "penalties", str(path), "--source", "blocks", "--no-progress", "--chunk-size", "3")
    batch = IngestBatch.objects.get(source="blocks")
    records = list(enumerate(read_records(path)))
    reference = Ingestion(get_kind("penalties"), source="records", actor=SYSTEM, fast=False, chunk_size=3)
    ref = reference.run(r for _, r in records)
    counts = ("received", "created", "updated", "unchanged", "rejected_count", "pending_count")
    assert [getattr(batch, c) for c in counts] == [getattr(ref, c) for c in counts] == [10, 5, 0, 0, 5, 0]
    assert sorted(
        (r.index, str(r.errors).replace("blocks", "records"), r.record) for r in batch.rejects.all()
    ) == sorted((r.index, str(r.errors), r.record) for r in ref.rejects.all())
    fields = (
        "source_id",
        "decision_no",
        "violation",
        "penalty_types",
        "fine_amount",
        "decided_on",
        "enterprise_id",
    )
    assert sorted(Penalty.objects.filter(source="blocks").values_list(*fields)) == sorted(
        Penalty.objects.filter(source="records").values_list(*fields)
    )


def read_records(path: Path) -> list[Any]:
    from xinjian.collection.ingest.files import COMMAND_LIMITS, read_file

    with path.open("rb") as fh:
        return list(read_file(get_kind("penalties"), fh, path.name, COMMAND_LIMITS).records)


@pytest.mark.django_db
@freeze_time("2024-11-20")
def test_new_keys_between_stored_ones_and_a_first_load_store_the_same_rows_and_events(enterprise_factory):
    # PostgreSQL: a chunk with nothing stored between its lowest and highest key is COPYed
    # straight into the table; one whose range holds stored keys goes through staging.
    ent = enterprise_factory()
    odd = [{**one_of_each(ent.uscc)["penalties"], "source_id": f"K-{i}"} for i in (1, 3, 5)]
    even = [{**one_of_each(ent.uscc)["penalties"], "source_id": f"K-{i}"} for i in (2, 4, 6)]
    first = Ingestion(get_kind("penalties"), source="sys", actor=SYSTEM).run(odd)
    second = Ingestion(get_kind("penalties"), source="sys", actor=SYSTEM).run(even + odd)
    assert (first.created, second.created, second.unchanged) == (3, 3, 3)
    events = list(Event.objects.filter(type="penalty.recorded").order_by("id"))
    assert [e.data["source_id"] for e in events] == ["K-1", "K-3", "K-5", "K-2", "K-4", "K-6"]
    ids = [e.data["id"] for e in events]
    assert ids == sorted(ids) and set(ids) == set(Penalty.objects.values_list("id", flat=True))
    assert {(e.uscc, e.region_code) for e in events} == {(ent.uscc, ent.region_code)}
    assert set(Penalty.objects.values_list("batch_id", flat=True)) == {first.pk, second.pk}


@pytest.mark.django_db
@freeze_time("2024-11-20")
def test_an_unchanged_resend_writes_no_version_no_event_and_keeps_the_rows(enterprise_factory):
    ent = enterprise_factory()
    records = [one_of_each(ent.uscc)["penalties"] for _ in range(30)]
    first = Ingestion(get_kind("penalties"), source="sys", actor=SYSTEM, chunk_size=7).run(records)
    stamps = dict(Penalty.objects.values_list("id", "modified_at"))
    events = Event.objects.count()
    again = Ingestion(get_kind("penalties"), source="sys", actor=SYSTEM, chunk_size=7).run(records)
    assert (first.created, again.created, again.updated, again.unchanged) == (30, 0, 0, 30)
    assert Event.objects.count() == events
    assert RecordVersion.objects.count() == 0
    assert dict(Penalty.objects.values_list("id", "modified_at")) == stamps


@pytest.mark.django_db
@freeze_time("2024-11-20")
def test_a_long_batch_judged_ahead_in_a_thread_keeps_order_errors_and_counts(enterprise_factory):
    ent = enterprise_factory()
    records: list[Any] = []
    for i in range(50):
        rec = one_of_each(ent.uscc)["penalties"]
        if i % 9 == 4:
            rec["decided_on"] = "2099-01-01"  # in the future: rejected
        records.append(rec)
    records.append(records[0])  # a duplicate key, 40 records after the first
    run = Ingestion(get_kind("penalties"), source="sys", actor=SYSTEM, chunk_size=8)
    batch = run.run(iter(records))
    bad = [i for i in range(50) if i % 9 == 4]
    assert [r.index for r in run.rejects] == [*bad, 50]
    assert run.rejects[0].errors[0]["code"] == "future_date"
    assert run.rejects[-1].errors[0]["code"] == "duplicate_key"
    assert (batch.received, batch.created, batch.rejected_count) == (51, 50 - len(bad), len(bad) + 1)
    ids = list(
        Event.objects.filter(type="penalty.recorded").order_by("id").values_list("data__id", flat=True)
    )
    assert ids == sorted(ids) and len(ids) == batch.created


ONLY_PG = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database another process can open (the SQLite test database is in memory)",
)


@pytest.mark.django_db(transaction=True)
@ONLY_PG
def test_killing_the_command_mid_batch_leaves_whole_chunks_and_a_rerun_completes(
    tmp_path, enterprise_factory
):
    ent = enterprise_factory()
    n = 4000
    path = Path(tmp_path) / "penalties.csv"
    lines = ["source_id,uscc,decision_no,decided_on,decided_by,domain,violation,penalty_types,fine_amount"]
    lines += [
        f"K-{i},{ent.uscc},深市监罚〔2024〕{i}号,2024-03-05,深圳市市场监督管理局,food_safety,超范围经营,warning;fine,{i}"
        for i in range(n)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "manage.py", "ingest", "penalties", str(path), "--source", "killed"]
    command += ["--no-progress", "--chunk-size", "50"]
    proc = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if IngestBatch.objects.filter(source="killed", received__gte=200).exists():
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)  # no clean-up of any kind: a power cut
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    batch = IngestBatch.objects.get(source="killed")
    assert batch.status == BatchStatus.RUNNING and 0 < batch.received < n  # killed mid-batch
    stored = Penalty.objects.filter(source="killed").count()
    # Rows, counters and events move together, a whole chunk at a time.
    assert stored == batch.created == batch.received and stored % 50 == 0
    assert Event.objects.filter(type="penalty.recorded", data__source="killed").count() == stored

    done = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rerun = IngestBatch.objects.filter(source="killed").exclude(pk=batch.pk).get()
    assert (rerun.status, rerun.created, rerun.unchanged) == (BatchStatus.COMPLETED, n - stored, stored)
    assert Penalty.objects.filter(source="killed").count() == n
    assert Event.objects.filter(type="penalty.recorded", data__source="killed").count() == n
