"""Officers' uploads, the batch pages, templates, the timeline and the ingest command."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import Workbook, load_workbook

from tests.factories import make_uscc
from xinjian.collection.ingest.files import _norm, detect_encoding, header_map, read_file
from xinjian.collection.ingest.kinds import KINDS, get_kind
from xinjian.collection.models import BatchStatus, CollectionItem, IngestBatch, Penalty

from .helpers import penalty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

HEADERS_CN = [
    "来源编号",
    "统一社会信用代码",
    "决定书文号",
    "处罚决定日期",
    "处罚机关",
    "领域",
    "违法行为类型",
    "处罚种类",
    "罚款金额（元）",
]
FIELDS = [
    "source_id",
    "uscc",
    "decision_no",
    "decided_on",
    "decided_by",
    "domain",
    "violation",
    "penalty_types",
    "fine_amount",
]


@pytest.fixture
def frozen():
    with freeze_time("2024-11-20 10:00:00"):
        yield


def csv_bytes(rows: list[dict], encoding: str = "gbk", headers: list[str] = HEADERS_CN) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    for r in rows:
        w.writerow([";".join(r[f]) if isinstance(r.get(f), list) else r.get(f, "") for f in FIELDS])
    return buf.getvalue().encode(encoding)


def upload(client, kind: str, name: str, content: bytes):
    f = io.BytesIO(content)
    f.name = name
    return client.post(reverse("collection:upload"), {"kind": kind, "file": f})


def test_encodings_are_detected():
    assert detect_encoding("处罚".encode()) == "utf-8"
    assert detect_encoding("处罚".encode("gbk")) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbfuscc") == "utf-8-sig"
    # a sample that cuts a UTF-8 character in half is still UTF-8
    assert detect_encoding("处罚".encode()[:-1]) == "utf-8"


def test_chinese_and_english_headers_map_to_the_same_fields():
    hm = header_map(get_kind("penalties"))
    assert hm[_norm("决定书文号")] == hm[_norm("decision_no")] == hm[_norm(" Decision_No ")] == "decision_no"
    assert hm[_norm("罚款金额(元)*")] == "fine_amount"  # half-width brackets, required mark
    for kind in KINDS.values():
        assert set(header_map(kind).values()) == set(kind.fields)


def test_an_officer_uploads_a_gbk_csv_previews_bad_rows_and_imports_the_rest(
    client, county_officer, enterprise_factory
):
    ent = enterprise_factory()
    outside = enterprise_factory(region_code="440303")
    rows = [
        penalty(ent.uscc),
        {**penalty(ent.uscc), "uscc": "123"},
        penalty(ent.uscc, domain="天气"),
        penalty(ent.uscc, decided_on="2030-01-01"),
        penalty(outside.uscc),
        penalty(ent.uscc, penalty_types=["罚款", "警告"]),
    ]
    client.force_login(county_officer)
    resp = upload(client, "penalties", "处罚.csv", csv_bytes(rows))
    assert resp.status_code == 302
    batch = IngestBatch.objects.get()
    assert batch.status == BatchStatus.PREVIEWED and batch.source == "upload:440305"
    assert Penalty.objects.count() == 0  # nothing written before confirmation
    page = client.get(resp.url).content.decode()
    assert "GBK/GB18030" in page
    for message in ("统一社会信用代码应为18位", "领域“天气”无效", "不能晚于今天", "不在本部门辖区内"):
        assert message in page, message
    resp = client.post(reverse("collection:confirm", args=[batch.pk]), {"action": "import"})
    client.post(reverse("collection:confirm", args=[batch.pk]), {"action": "import"})  # a double click
    batch.refresh_from_db()
    assert (batch.status, batch.received, batch.created, batch.rejected_count) == (
        BatchStatus.COMPLETED,
        6,
        2,
        4,
    )
    assert set(Penalty.objects.values_list("source", flat=True)) == {"upload:440305"}
    assert Penalty.objects.get(source_id=rows[5]["source_id"]).penalty_types == [
        "fine",
        "warning",
    ]  # labels accepted

    download = client.get(reverse("collection:rejects", args=[batch.pk]))
    wb = load_workbook(io.BytesIO(download.content))
    sheet = list(wb.active.iter_rows(values_only=True))
    assert sheet[0][:3] == ("来源编号", "统一社会信用代码", "决定书文号") and sheet[0][-1] == "错误说明"
    assert len(sheet) == 5
    assert "辖区" in sheet[-1][-1]
    # the fixed file goes back in: the rows re-validate against the same headers
    fixed = read_file(get_kind("penalties"), io.BytesIO(download.content), "rejects.xlsx")
    assert len(list(fixed.records)) == 4


def test_the_batches_page_lists_counts_and_the_batch_page_its_rejected_rows(
    client, county_officer, enterprise_factory
):
    ent = enterprise_factory()
    client.force_login(county_officer)
    upload(
        client,
        "penalties",
        "p.csv",
        csv_bytes([penalty(ent.uscc), penalty(ent.uscc, fine_amount="-5")], "utf-8"),
    )
    batch = IngestBatch.objects.get()
    client.post(reverse("collection:confirm", args=[batch.pk]), {"action": "import"})
    page = client.get(reverse("collection:batches")).content.decode()
    assert "p.csv" in page and "upload:440305" in page
    detail = client.get(reverse("collection:batch", args=[batch.pk])).content.decode()
    assert "罚款金额（元）" in detail and "不能为负数" in detail and "下载拒收记录" in detail


def test_officers_see_only_batches_of_their_jurisdiction(
    client, county_officer, staff_factory, enterprise_factory
):
    other = staff_factory("440303", ["credit_officer"])
    client.force_login(other)
    upload(
        client,
        "penalties",
        "p.csv",
        csv_bytes([penalty(enterprise_factory(region_code="440303").uscc)], "utf-8"),
    )
    batch = IngestBatch.objects.get()
    client.force_login(county_officer)
    assert client.get(reverse("collection:batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("collection:rejects", args=[batch.pk])).status_code == 404
    assert "p.csv" not in client.get(reverse("collection:batches")).content.decode()


def test_an_inspector_without_the_ingest_permission_cannot_upload(client, inspector):
    client.force_login(inspector)
    assert client.get(reverse("collection:upload")).status_code == 403


def test_xlsx_uploads_with_english_headers_and_date_cells(client, county_officer, enterprise_factory):
    import datetime as dt

    ent = enterprise_factory()
    wb = Workbook()
    ws = wb.active
    ws.append(FIELDS)
    rec = penalty(ent.uscc)
    ws.append(
        [
            dt.datetime(2024, 3, 5)
            if f == "decided_on"
            else (";".join(rec[f]) if isinstance(rec[f], list) else rec[f])
            for f in FIELDS
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    client.force_login(county_officer)
    upload(client, "penalties", "p.xlsx", buf.getvalue())
    batch = IngestBatch.objects.get()
    client.post(reverse("collection:confirm", args=[batch.pk]), {"action": "import"})
    assert str(Penalty.objects.get().decided_on) == "2024-03-05"


def test_a_file_that_is_not_a_table_is_refused_with_a_reason(client, county_officer):
    client.force_login(county_officer)
    resp = upload(client, "penalties", "p.xlsx", b"not a zip")
    assert resp.status_code == 200 and "无法读取XLSX文件" in resp.content.decode()
    resp = upload(client, "penalties", "p.pdf", b"%PDF")
    assert "仅支持" in resp.content.decode()
    assert not IngestBatch.objects.exists()


def test_a_template_per_kind_has_chinese_headers(client, county_officer):
    client.force_login(county_officer)
    for name, kind in KINDS.items():
        resp = client.get(reverse("collection:template", args=[name]))
        headers = next(load_workbook(io.BytesIO(resp.content)).worksheets[0].iter_rows(values_only=True))
        assert [h.rstrip("*") for h in headers] == [f.label for f in kind.fields.values()]
    assert "下载模板" in client.get(reverse("collection:templates")).content.decode()


def test_collection_items_are_seeded_and_listed(client, county_officer):
    assert CollectionItem.objects.filter(record_kind="penalties").exists()
    CollectionItem.objects.create(
        code="gd_food_sampling", name="广东省食品快检结果", category="检查结果", added_by_region="440000"
    )
    client.force_login(county_officer)
    page = client.get(reverse("collection:items")).content.decode()
    assert "行政处罚" in page and "广东省食品快检结果" in page and "440000" in page


def test_the_enterprise_page_shows_one_timeline_with_source_and_batch(
    client, county_officer, inspector, api_client_factory, enterprise_factory
):
    ent = enterprise_factory()
    _, token = api_client_factory("case-system", ["ingest"])
    client.post(
        "/api/v1/ingest/penalties",
        json.dumps({"records": [penalty(ent.uscc, decision_no="深南罚〔2024〕77号")]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    client.post(
        "/api/v1/ingest/complaints",
        json.dumps(
            {
                "records": [
                    {"source_id": "C1", "uscc": ent.uscc, "received_on": "2024-01-02", "category": "食品投诉"}
                ]
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    batch = IngestBatch.objects.filter(kind="penalties").get()
    client.force_login(county_officer)
    page = client.get(reverse("registry:detail", args=[ent.uscc])).content.decode()
    assert "深南罚〔2024〕77号" in page and "case-system" in page and str(batch.pk)[:8] in page
    assert "食品投诉" in page
    client.force_login(inspector)  # no VIEW_COMPLAINTS
    page = client.get(reverse("registry:detail", args=[ent.uscc])).content.decode()
    assert "深南罚〔2024〕77号" in page and "食品投诉" not in page


def test_the_ingest_command_streams_a_file_and_prints_a_summary(tmp_path, enterprise_factory):
    ent = enterprise_factory()
    rows = [penalty(ent.uscc) for _ in range(5)] + [
        penalty(make_uscc("440305")),
        penalty(ent.uscc, domain="x"),
    ]
    path = tmp_path / "penalties.csv"
    path.write_bytes(csv_bytes(rows, "gb18030"))
    out = io.StringIO()
    call_command("ingest", "penalties", str(path), "--source", "legacy", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "接收 7，新增 6，更新 0，未变化 0，拒收 1，待关联 1" in text
    assert Penalty.objects.filter(source="legacy").count() == 6
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:5]) + "\n{oops\n")
    out = io.StringIO()
    call_command("ingest", "penalties", str(jsonl), "--source", "legacy", "--no-progress", stdout=out)
    assert "接收 6，新增 0，更新 0，未变化 5，拒收 1" in out.getvalue()
