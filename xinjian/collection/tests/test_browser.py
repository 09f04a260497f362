"""An officer's upload, end to end in a browser."""

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from xinjian.collection.models import Penalty

from .helpers import penalty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_uploads_a_gbk_csv_sees_three_bad_rows_imports_the_rest_and_downloads_them(
    page, county_officer, enterprise_factory, tmp_path
):
    ent = enterprise_factory()
    rows = [penalty(ent.uscc) for _ in range(4)]
    rows.insert(1, {**penalty(ent.uscc), "uscc": "9144030071526726XX"})
    rows.insert(3, penalty(ent.uscc, domain="天气", fine_amount=-1))
    rows.append(penalty(ent.uscc, decided_on="2099-01-01"))
    fields = [
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
    headers = [
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
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    for r in rows:
        w.writerow([";".join(r[f]) if isinstance(r[f], list) else r[f] for f in fields])
    path = tmp_path / "南山区处罚信息.csv"
    path.write_bytes(buf.getvalue().encode("gbk"))

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("nanshan")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="数据归集").first.click()
    page.get_by_role("link", name="上传文件").click()
    page.get_by_label("数据类别").select_option(label="行政处罚")
    page.get_by_label("文件（CSV/XLSX）").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()

    page.wait_for_url("**/preview/")
    expect(page.get_by_text("GBK/GB18030")).to_be_visible()
    expect(page.locator("#bad-count")).to_have_text("3")
    bad = page.locator("#rejects tbody tr")
    assert bad.count() == 3
    expect(bad.nth(0)).to_contain_text("统一社会信用代码校验码错误")
    expect(bad.nth(1)).to_contain_text("领域“天气”无效")
    expect(bad.nth(1)).to_contain_text("不能为负数")
    expect(bad.nth(2)).to_contain_text("不能晚于今天")
    assert Penalty.objects.count() == 0

    page.get_by_role("button", name="确认导入其余4行").click()
    page.wait_for_url("**/batches/*/")
    expect(page.get_by_text("已导入：新增4条")).to_be_visible()
    assert Penalty.objects.filter(source="upload:440305").count() == 4

    with page.expect_download() as info:
        page.locator("#download-rejects").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = list(load_workbook(io.BytesIO(info.value.path().read_bytes())).active.iter_rows(values_only=True))
    assert len(sheet) == 4 and sheet[0][-1] == "错误说明"
    assert sorted(r[0] for r in sheet[1:]) == sorted(
        [rows[1]["source_id"], rows[3]["source_id"], rows[6]["source_id"]]
    )


def test_the_province_officer_finds_each_peers_lag_and_a_cross_province_penalty_clock(page, province_officer):
    from django.utils import timezone

    from tests.factories import make_uscc
    from xinjian.collection.actions import ingest_records
    from xinjian.collection.models import Peer
    from xinjian.core.actors import Actor

    Peer.objects.create(name="national-hub", url="http://127.0.0.1:9", token="t", cursor=10, head=25)
    Peer.objects.create(
        name="jiangsu",
        url="http://127.0.0.1:8",
        token="t",
        last_error="PullError: HTTP 503",
        last_error_at=timezone.now(),
    )
    ingest_records("penalties", [penalty(make_uscc("320102"))], actor=Actor("test"), source="gd-cases")

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("guangdong")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")
    page.goto("/staff/collection/")
    page.get_by_role("link", name="联邦汇聚状态").click()
    peers = page.locator("#peers")
    expect(peers.locator("tr", has_text="national-hub")).to_contain_text("15")
    expect(peers.locator("tr", has_text="jiangsu")).to_contain_text("HTTP 503")
    crossing = page.locator("#crossings tr", has_text="本省作出，转送外省")
    expect(crossing).to_have_count(1)
    expect(crossing).to_contain_text("已逾期")  # decided in 2024, never forwarded
