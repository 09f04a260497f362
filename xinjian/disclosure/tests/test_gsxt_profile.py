"""Issue 14: what GSXT users expect on a public profile — company type, registered capital,
business scope, registration authority and the annual-report filings (year, filing date,
whether late) — on the page and in the API; the same through the policy (a filing shows
from its filing date); and small things the pages got wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from freezegun import freeze_time

from tests.crawl import parse
from xinjian.collection.models import AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_profiles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def company(enterprise_factory):
    e = enterprise_factory(
        name="深圳市年报测试有限公司",
        region_code="440305",
        entity_type="有限责任公司（自然人投资或控股）",
        registered_capital=Decimal("500.0000"),
        business_scope="食品生产；食品销售（仅销售预包装食品）",
    )
    for year, filed in ((2023, dt.date(2024, 5, 20)), (2024, dt.date(2025, 7, 15))):
        AnnualReport.objects.create(enterprise=e, uscc=e.uscc, year=year, filed_on=filed, source="gsxt")
    return e


@freeze_time("2025-08-01 10:00:00")
def test_the_public_profile_shows_the_register_facts_and_the_annual_reports(client, company):
    body = client.get(f"/public/enterprises/{company.uscc}/").content.decode()
    text, _links = parse(body)
    assert "类型 有限责任公司（自然人投资或控股）" in text
    assert "注册资本 500 万元" in text
    assert "登记机关 南山区市场监督管理局" in text
    assert "经营范围 食品生产；食品销售（仅销售预包装食品）" in text
    assert "企业年度报告（2）" in text
    assert "2024年度 2025-07-15 逾期报送" in text  # after 30 June 2025
    assert "2023年度 2024-05-20 按时报送" in text


@freeze_time("2025-08-01 10:00:00")
def test_the_api_profile_carries_the_same(client, company):
    p = client.get(f"/api/v1/public/enterprises/{company.uscc}").json()
    assert p["entity_type"] == "有限责任公司（自然人投资或控股）"
    assert p["registered_capital"] == 500.0
    assert p["registration_authority"] == "南山区市场监督管理局"
    assert p["annual_reports"] == [
        {"year": 2024, "filed_on": "2025-07-15", "on_time": False},
        {"year": 2023, "filed_on": "2024-05-20", "on_time": True},
    ]


def test_a_filing_is_public_from_its_filing_date(client, company):
    with freeze_time("2025-07-14 10:00:00"):  # the day before the late filing
        p = client.get(f"/api/v1/public/enterprises/{company.uscc}").json()
        assert [r["year"] for r in p["annual_reports"]] == [2023]
    cache.clear()
    with freeze_time("2025-07-15 10:00:00"):
        p = client.get(f"/api/v1/public/enterprises/{company.uscc}").json()
        assert [r["year"] for r in p["annual_reports"]] == [2024, 2023]


def test_the_import_templates_page_lists_required_columns_without_a_stray_separator(client, county_officer):
    client.force_login(county_officer)
    text, _links = parse(client.get("/staff/collection/templates/").content.decode())
    assert "、 下载模板" not in text and "、下载模板" not in text
    assert "统一社会信用代码" in text
