"""Upload bombs and silent loss (issue 13 item 5): a file is bounded — size, inflated
size, compression ratio, rows, width and time — before and while it is parsed; the
sheet's declared dimension is never trusted; a row that cannot be read is a reject with
its reason. The files are crafted here (tests/crafted.py), never stored."""

from __future__ import annotations

import dataclasses
import io
import time
import tracemalloc

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import crafted
from xinjian.collection.ingest.files import COMMAND_LIMITS, UPLOAD_LIMITS, FileFormatError, read_file
from xinjian.collection.ingest.kinds import get_kind
from xinjian.collection.models import IngestBatch, Penalty

pytestmark = pytest.mark.django_db
PENALTIES = get_kind("penalties")


def _upload(client, name: str, content: bytes):
    f = io.BytesIO(content)
    f.name = name
    return client.post(reverse("collection:upload"), {"kind": "penalties", "file": f})


def _refused(client, name: str, content: bytes, words: str) -> None:
    response = _upload(client, name, content)
    assert response.status_code == 200, response.status_code  # the form again, with the reason
    assert words in response.content.decode()
    assert not IngestBatch.objects.exists()


def _read_all(content: bytes, name: str, limits=UPLOAD_LIMITS) -> list:
    return list(read_file(PENALTIES, io.BytesIO(content), name, limits).records)


def test_a_zip_bomb_is_refused_before_parsing_in_little_time_and_memory(client, county_officer):
    bomb = crafted.zip_bomb(crafted.xlsx_file([]), megabytes=200)
    assert len(bomb) < 400 * 1024  # a small file that inflates to 200 MB
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(FileFormatError, match="解压后超过"):
        _read_all(bomb, "bomb.xlsx")
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 5 and peak < 20 * 1024 * 1024, (elapsed, peak)
    client.force_login(county_officer)
    _refused(client, "bomb.xlsx", bomb, "解压后超过")


def test_a_shared_strings_bomb_under_the_size_limit_is_refused_by_its_ratio():
    bomb = crafted.shared_strings_bomb(megabytes=40)  # under 64 MB inflated, ~1000:1
    with pytest.raises(FileFormatError, match="压缩比异常"):
        _read_all(bomb, "strings.xlsx")
    # the command's bound is wider in size but still refuses the ratio
    with pytest.raises(FileFormatError, match="压缩比异常"):
        _read_all(bomb, "strings.xlsx", COMMAND_LIMITS)


def test_a_lying_dimension_loses_no_row_through_the_page_and_the_ingest_command(
    client, county_officer, enterprise_factory, tmp_path
):
    ent = enterprise_factory()
    content = crafted.lying_dimension(crafted.xlsx_file(crafted.penalty_rows(ent.uscc, 50)), "A1:B2")
    assert len(_read_all(content, "lying.xlsx")) == 50
    client.force_login(county_officer)
    response = _upload(client, "lying.xlsx", content)
    assert response.status_code == 302
    batch = IngestBatch.objects.get()
    assert len(batch.payload) == 50
    client.post(reverse("collection:confirm", args=[batch.pk]), {"action": "import"})
    assert Penalty.objects.count() == 50
    path = tmp_path / "lying.xlsx"
    path.write_bytes(
        crafted.lying_dimension(crafted.xlsx_file(crafted.penalty_rows(ent.uscc, 50, "CMD")), "A1:A1")
    )
    out = io.StringIO()
    call_command("ingest", "penalties", str(path), "--source", "legacy", "--no-progress", stdout=out)
    assert "接收 50，新增 50" in out.getvalue()


def test_a_stray_cell_in_the_last_column_does_not_widen_every_row():
    """Measured against the same rows without the stray cell, so the machine's load does
    not matter: padded to 16,384 cells a row, reading took about fifty times as long."""
    plain, wide = (crafted.far_right_cells(1000, stray=s) for s in (False, True))
    timings = []
    for content in (plain, wide, plain, wide):
        started = time.monotonic()
        records = _read_all(content, "wide.xlsx")
        timings.append(time.monotonic() - started)
        assert len(records) == 1000 and records[0]["source_id"] == "2"
    assert min(timings[1], timings[3]) < 3 * max(timings[0], timings[2]), timings


def test_rows_and_time_are_bounded():
    rows = crafted.csv_file([[""] * 7] * (UPLOAD_LIMITS.rows + 1))
    with pytest.raises(FileFormatError, match="行，未读取"):
        _read_all(rows, "many.csv")
    instant = dataclasses.replace(UPLOAD_LIMITS, seconds=1e-9)
    with pytest.raises(FileFormatError, match="秒"):
        _read_all(crafted.csv_file(crafted.penalty_rows("x", 600)), "slow.csv", instant)


def test_an_oversized_file_is_refused_before_reading(client, county_officer):
    client.force_login(county_officer)
    big = crafted.csv_file([["x" * 1000] * 7] * (UPLOAD_LIMITS.file_bytes // 7000 + 10))
    _refused(client, "big.csv", big, "文件超过20MB")


def test_a_truncated_workbook_is_refused_with_a_reason(client, county_officer, enterprise_factory):
    ent = enterprise_factory()
    client.force_login(county_officer)
    content = crafted.truncated(crafted.xlsx_file(crafted.penalty_rows(ent.uscc, 200)))
    _refused(client, "cut.xlsx", content, "无法读取XLSX文件")


def test_an_oversize_csv_field_is_a_reject_and_the_other_rows_import(
    client, county_officer, enterprise_factory
):
    ent = enterprise_factory()
    client.force_login(county_officer)
    assert (
        _upload(client, "big-field.csv", crafted.oversize_field_csv(ent.uscc, rows=5, at=3)).status_code
        == 302
    )
    batch = IngestBatch.objects.get()
    client.post(reverse("collection:confirm", args=[batch.pk]), {"action": "import"})
    batch.refresh_from_db()
    assert (batch.received, batch.created, batch.rejected_count) == (5, 4, 1)
    assert batch.rejects.get().errors[0]["code"] == "field_too_large"


def test_nul_and_bad_utf8_in_an_upload_are_rejects_not_errors(client, county_officer, enterprise_factory):
    ent = enterprise_factory()
    client.force_login(county_officer)
    assert _upload(client, "dirty.csv", crafted.nul_and_bad_utf8_csv(ent.uscc)).status_code == 302
    batch = IngestBatch.objects.get()
    assert client.get(reverse("collection:preview", args=[batch.pk])).status_code == 200
    client.post(reverse("collection:confirm", args=[batch.pk]), {"action": "import"})
    batch.refresh_from_db()
    assert (batch.received, batch.created, batch.rejected_count) == (4, 2, 2)
    codes = sorted(r.errors[0]["code"] for r in batch.rejects.all())
    assert codes == ["bad_encoding", "invalid_text"]
    # the good rows kept their Chinese: the file was read as UTF-8, not as GBK
    assert set(Penalty.objects.values_list("decided_by", flat=True)) == {"深圳市南山区市场监督管理局"}
    assert client.get(reverse("collection:batch", args=[batch.pk])).status_code == 200


def test_a_json_line_nested_100000_deep_is_a_reject(tmp_path, enterprise_factory):
    ent = enterprise_factory()
    path = tmp_path / "deep.jsonl"
    good = (
        b'{"source_id": "J-1", "uscc": "%s", "decision_no": "J1", "decided_on": "2024-03-05", '
        % ent.uscc.encode()
    )
    path.write_bytes(
        good
        + b'"decided_by": "x", "domain": "food_safety", "penalty_types": ["warning"], "violation": "v"}\n'
        + crafted.deep_json_line()
    )
    out = io.StringIO()
    call_command("ingest", "penalties", str(path), "--source", "deep", "--no-progress", stdout=out)
    assert "接收 2，新增 1，更新 0，未变化 0，拒收 1" in out.getvalue()
    batch = IngestBatch.objects.get(source="deep")
    assert batch.rejects.get().errors[0]["code"] == "too_deep"
