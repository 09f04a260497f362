"""Issue 14: the staff workbench is each person's to-do list — what awaits them in their
jurisdiction and role, each with its deadline (derived, marked provisional where it is),
overdue first, each a link to where it is done — with charts below (Apache ECharts,
vendored; risk classes only for staff holding the risk permission)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from freezegun import freeze_time

from xinjian.core import deadlines
from xinjian.core.actors import SYSTEM
from xinjian.lists.actions import list_anomaly, notify_party, propose_serious, submit_for_approval
from xinjian.lists.models import AnomalyListing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_charts():
    cache.clear()  # charts are cached per area and day
    yield
    cache.clear()


def _todo_rows(client) -> list[dict[str, str]]:
    body = client.get(reverse("home")).content.decode()
    table = re.search(r'<table class="todo striped">(.*?)</table>', body, re.S)
    if table is None:
        return []
    rows = []
    for tr in re.findall(r"<tr class=\"([^\"]*)\">(.*?)</tr>", table.group(1), re.S):
        cls, cells = tr
        tds = re.findall(r"<td>(.*?)</td>", cells, re.S)
        text = [re.sub(r"<[^>]+>", "", td).strip() for td in tds]
        href = re.search(r'href="([^"]+)"', tds[3]).group(1)
        rows.append(
            {
                "overdue": "overdue" in cls,
                "due": text[0][:10],
                "what": text[1],
                "subject": text[2],
                "url": href,
            }
        )
    return rows


def _draft(enterprise, on: dt.date) -> AnomalyListing:
    return list_anomaly(enterprise, actor=SYSTEM, ground="unreachable", on=on, draft=True)


def test_an_anomaly_draft_awaits_the_officer_with_its_derived_deadline(
    client, county_officer, enterprise_factory
):
    e = enterprise_factory(name="深圳市待审科技有限公司", region_code="440305")
    with freeze_time("2026-09-01 10:00:00"):
        draft = _draft(e, dt.date(2026, 9, 1))
    due = deadlines.due(draft, "listing_due")
    assert due is not None and due > dt.date(2026, 9, 1)
    client.force_login(county_officer)
    with freeze_time(due):  # the last day: still in time
        rows = _todo_rows(client)
    assert rows == [
        {
            "overdue": False,
            "due": due.isoformat(),
            "what": "审批列入经营异常名录",
            "subject": "深圳市待审科技有限公司",
            "url": reverse("lists:anomaly_detail", args=[draft.pk]),
        }
    ]
    with freeze_time(due + dt.timedelta(days=1)):  # the day after: overdue
        body = client.get(reverse("home")).content.decode()
        rows = _todo_rows(client)
    assert rows[0]["overdue"] and "已超期 1 天" in body and "1 项已超期" in body


def test_overdue_items_come_first_then_by_deadline(client, county_officer, enterprise_factory):
    early = enterprise_factory(name="早期企业", region_code="440305")
    late = enterprise_factory(name="近期企业", region_code="440305")
    with freeze_time("2026-06-01 10:00:00"):
        _draft(early, dt.date(2026, 6, 1))
    with freeze_time("2026-09-01 10:00:00"):
        fresh = _draft(late, dt.date(2026, 9, 1))
    client.force_login(county_officer)
    with freeze_time("2026-09-02 10:00:00"):
        rows = _todo_rows(client)
    assert [r["subject"] for r in rows] == ["早期企业", "近期企业"]
    assert [r["overdue"] for r in rows] == [True, False]
    assert rows[1]["due"] == deadlines.due(fresh, "listing_due").isoformat()


def test_the_list_is_scoped_to_jurisdiction_and_role(client, staff_factory, enterprise_factory):
    e = enterprise_factory(region_code="440305")
    with freeze_time("2026-09-01 10:00:00"):
        _draft(e, dt.date(2026, 9, 1))
    other_county = staff_factory("440306", ["credit_officer"])
    inspector = staff_factory("440305", ["inspector"])
    city = staff_factory("440300", ["credit_officer"])
    with freeze_time("2026-09-02 10:00:00"):
        client.force_login(other_county)
        assert _todo_rows(client) == []
        client.force_login(inspector)  # may not approve a listing: not their work
        assert _todo_rows(client) == []
        client.force_login(city)
        assert len(_todo_rows(client)) == 1


def test_a_serious_listing_moves_from_the_officer_to_the_approver(
    client, staff_factory, enterprise_factory, penalty_factory
):
    e = enterprise_factory(name="严重违法测试公司", region_code="440305")
    p = penalty_factory(e, decided_on=dt.date(2026, 8, 20))
    officer = staff_factory("440305", ["credit_officer"])
    approver = staff_factory("440300", ["approver"])
    with freeze_time("2026-09-01 10:00:00"):
        listing = propose_serious(e, actor=officer, ground="food_safety", penalty=p)
        client.force_login(officer)
        assert [r["what"] for r in _todo_rows(client)] == ["送达严重违法失信名单列入告知书"]
        notify_party(listing, actor=officer)
        rows = _todo_rows(client)
    assert [r["what"] for r in rows] == ["陈述申辩期满后报请审批"]
    listing.refresh_from_db()
    assert rows[0]["due"] == deadlines.due(listing, "statement_due").isoformat()
    client.force_login(approver)
    with freeze_time("2026-09-01 11:00:00"):
        assert _todo_rows(client) == []
    with freeze_time(deadlines.due(listing, "statement_due") + dt.timedelta(days=1)):
        submit_for_approval(listing, actor=officer)
        rows = _todo_rows(client)
        assert [r["what"] for r in rows] == ["审批列入严重违法失信名单"]
        assert rows[0]["url"] == reverse("lists:serious_detail", args=[listing.pk])
        client.force_login(officer)
        assert _todo_rows(client) == []


def test_a_deadline_running_into_an_unpublished_calendar_year_says_provisional(
    client, county_officer, enterprise_factory
):
    from xinjian.core.models import CalendarYear

    last = CalendarYear.objects.order_by("-year").values_list("year", flat=True).first()
    start = dt.date(last, 12, 28)
    e = enterprise_factory(region_code="440305")
    with freeze_time(f"{start.isoformat()} 10:00:00"):
        draft = _draft(e, start)
        assert deadlines.provisional(draft, "listing_due")
        client.force_login(county_officer)
        body = client.get(reverse("home")).content.decode()
    assert '<span class="provisional"' in body and "暂定" in body


def _charts(body: str) -> dict[str, dict]:
    out = {}
    for chart_id, payload in re.findall(
        r'<script id="(chart-\d+)" type="application/json">(.*?)</script>', body, re.S
    ):
        out[chart_id] = json.loads(payload)
    return out


def test_charts_are_echarts_options_and_risk_classes_stay_with_risk_staff(
    client, staff_factory, enterprise_factory
):
    enterprise_factory(region_code="440305")
    province = staff_factory("440000", ["credit_officer"])
    inspector = staff_factory("440305", ["inspector"])
    client.force_login(province)
    body = client.get(reverse("home")).content.decode()
    titles = re.findall(r"<figcaption>([^<]+)</figcaption>", body)
    assert "待公示信息（条）" in titles and "名单流入与流出（近12个月，户）" in titles
    assert "vendor/echarts-6.1.0.min.js" in body and "js/charts.js" in body
    options = _charts(body)
    assert options and all("series" in o for o in options.values())
    client.force_login(inspector)
    body = client.get(reverse("home")).content.decode()
    assert "风险分类" not in body  # no risk permission, no class chart
    # the public never gets the workbench, nor the charts library
    client.logout()
    assert client.get(reverse("home")).status_code in (302, 403)
    assert "echarts" not in client.get("/public/").content.decode()


def test_the_class_chart_groups_a_province_by_prefecture_and_a_city_by_county(
    staff_factory, enterprise_factory
):
    from django.utils import timezone

    from xinjian.risk.models import Assessment
    from xinjian.risk.panels import _class_by_county_chart_build

    for region, klass in (("440305", "A"), ("440306", "D"), ("440103", "B")):
        e = enterprise_factory(region_code=region)
        Assessment.objects.create(  # the scorer's bulk rows carry no constraints (ADR 0041)
            enterprise=e,
            model_id="general",
            version_id=1,
            run_id=1,
            as_of=dt.date(2026, 9, 1),
            assessed_at=timezone.now(),
            score=50,
            risk_class=klass,
            values_json="[]",
        )
    province = _class_by_county_chart_build(staff_factory("440000", ["credit_officer"]))
    city = _class_by_county_chart_build(staff_factory("440300", ["credit_officer"]))
    assert "各地市" in province["title"] and "各区县" in city["title"]
    assert province["option"]["xAxis"]["data"] == ["广州市", "深圳市"]
    assert len(city["option"]["xAxis"]["data"]) == 2  # Nanshan and Bao'an, not Guangzhou's county
    d = next(x for x in city["option"]["series"] if x["name"] == "D类")
    assert sum(d["data"]) == 1
