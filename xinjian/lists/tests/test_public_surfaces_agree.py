"""Every public surface agrees with the disclosure policy for the day (issue 12 item 1).

A grid of records × dates, with the clock frozen at each date: the public profile (page and
API), the exposure (page, API, open data), the public lists, the typical case, the open-data
files and a credit report each show a record exactly when `disclosure.policy` says it is
public on that day, and the exposure counts only such records. The records are made
through the real actions (publication, the serious-list procedure, typical-case review).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse
from freezegun import freeze_time

from xinjian.collection.models import Penalty
from xinjian.core.actors import SYSTEM
from xinjian.core.workdays import SHANGHAI
from xinjian.disclosure import actions as disclosure
from xinjian.disclosure import policy
from xinjian.disclosure.exports import export_dir, export_open_data
from xinjian.lists import actions as lists
from xinjian.lists import rules
from xinjian.lists.models import AnomalyListing, AnomalyStatus, SeriousListing

pytestmark = pytest.mark.django_db
D = dt.date


def _frozen(day: dt.date):
    return freeze_time(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI))


def _jsonl(day: dt.date, kind: str) -> list[dict]:
    text = (export_dir(day) / f"{kind}.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines()]


def _expected_exposure(day: dt.date) -> dict[str, int]:
    """Computed from the Python form of the policy, record by record."""
    r = rules.instance_rules_on(day)
    since = rules.add_years(day, -r.repeat_window_years)
    counts: dict[str, int] = {}
    for p in Penalty.objects.select_related("enterprise"):
        if p.domain in r.repeat_domains and p.decided_on > since and policy.visible(p, day):
            counts[p.uscc] = counts.get(p.uscc, 0) + 1
    return {u: n for u, n in counts.items() if n >= r.repeat_threshold}


@pytest.fixture
def world(enterprise_factory, penalty_factory, published_serious, listed_anomaly, staff_factory):
    """X: the issue's case — three small fines (3-month class) that leave the record one
    after another. Y: three 3-year penalties, one decided just inside the 2-year window.
    S: a serious listing that reaches its end. A: anomaly listings (one revoked later)."""
    x = enterprise_factory(name="小额罚款食品店")
    small = dict(penalty_types=["fine"], fine_amount=Decimal("5000"), domain="food_safety")
    for decided in (D(2026, 1, 5), D(2026, 2, 2), D(2026, 3, 2)):
        p = penalty_factory(x, decided_on=decided, **small)
        disclosure.publish_penalty(p, actor=SYSTEM, on=decided)
    y = enterprise_factory(name="屡罚特种设备厂")
    for decided in (D(2024, 4, 8), D(2025, 6, 2), D(2026, 1, 12)):
        p = penalty_factory(y, decided_on=decided, domain="special_equipment")
        disclosure.publish_penalty(p, actor=SYSTEM, on=decided)
    # A warning only and an exception: never public, never counted.
    penalty_factory(y, penalty_types=["warning"], fine_amount=None, published_on=D(2026, 1, 12))
    penalty_factory(y, disclosure_exception="privacy", published_on=D(2026, 1, 12))
    serious = published_serious(D(2023, 4, 10))
    kept = listed_anomaly(D(2026, 1, 5))
    revoked = listed_anomaly(D(2026, 1, 5))
    lists.revoke_anomaly(
        revoked, actor=SYSTEM, reason="列入错误", on=D(2026, 4, 6), decision_no="深南撤〔2026〕1号"
    )
    writer, reviewer = staff_factory("440305"), staff_factory("440305")
    case = lists.save_case(
        None, actor=writer, title="小额罚款典型案例", body="案情……", region_code="440305", enterprises=[x]
    )
    lists.move_case(case, "review", actor=reviewer)
    lists.move_case(case, "publish", actor=reviewer, on=D(2026, 1, 10))
    return {"x": x, "y": y, "serious": serious, "anomalies": [kept, revoked], "case": case}


# The edges: publications, the 3-month ends of X's fines (04-05, 05-02, 06-02), the 2-year
# window of Y's first penalty (2026-04-08), the serious listing's end, the revocation.
GRID = [
    D(2026, 1, 4),
    D(2026, 3, 2),
    D(2026, 4, 5),
    D(2026, 4, 6),
    D(2026, 4, 7),
    D(2026, 4, 8),
    D(2026, 4, 9),
    D(2026, 4, 10),
    D(2026, 4, 11),
    D(2026, 6, 2),
    D(2026, 6, 3),
]


def test_every_public_surface_agrees_with_the_policy_on_every_day(client, world, settings, tmp_path):
    from xinjian.sharing.actions import issue_credit_report

    settings.VAR_DIR = tmp_path
    # Load the URLconf and the API schemas before freezing the clock (pydantic must not
    # build its schemas from freezegun's fake date classes).
    assert client.get("/api/v1/public/exposure").status_code == 200
    x, y, serious, case = world["x"], world["y"], world["serious"], world["case"]
    penalties = list(Penalty.objects.select_related("enterprise").filter(enterprise__in=[x, y]))
    listings = list(AnomalyListing.objects.select_related("enterprise"))
    seen_exposed: dict[str, set[dt.date]] = {x.uscc: set(), y.uscc: set()}
    for day in GRID:
        caches["default"].clear()
        serious.refresh_from_db()
        with _frozen(day):
            exposed = _expected_exposure(day)
            for uscc in exposed:
                seen_exposed.setdefault(uscc, set()).add(day)
            shown = {p.decision_no for p in penalties if policy.visible(p, day)}
            serious_shown = policy.visible(serious, day)
            anomaly_shown = {a.decision_no for a in listings if policy.visible(a, day)}

            # Profile: the API and the page.
            for e in (x, y, serious.enterprise):
                data = client.get(f"/api/v1/public/enterprises/{e.uscc}").json()
                mine = {p.decision_no for p in penalties if p.enterprise_id == e.pk} & shown
                assert {p["decision_no"] for p in data["penalties"]} == mine, (day, e.name)
                page = client.get(reverse("disclosure:enterprise", args=[e.uscc])).content.decode()
                for p in penalties:
                    if p.enterprise_id == e.pk:
                        assert (p.decision_no in page) == (p.decision_no in shown), (day, p.decision_no)
            data = client.get(f"/api/v1/public/enterprises/{serious.enterprise.uscc}").json()
            assert (data["serious_listing"] is not None) == serious_shown, day
            for a in listings:
                data = client.get(f"/api/v1/public/enterprises/{a.enterprise.uscc}").json()
                assert {x["decision_no"] for x in data["anomaly_listings"]} == {a.decision_no} & anomaly_shown

            # Exposure: API, page, open data.
            api = client.get("/api/v1/public/exposure").json()
            assert {r["uscc"]: r["count"] for r in api["results"]} == exposed, day
            page = client.get(reverse("lists_public:exposure")).content.decode()
            for e in (x, y):
                assert (e.uscc in page) == (e.uscc in exposed or e.pk == serious.enterprise_id), (day, e.name)
            assert (serious.enterprise.uscc in page) == serious_shown, day

            # Public lists.
            page = client.get(reverse("lists_public:serious")).content.decode()
            assert (serious.enterprise.uscc in page) == serious_shown, day
            page = client.get(reverse("lists_public:anomaly")).content.decode()
            for a in listings:
                listed_now = a.decision_no in anomaly_shown and policy.visible(a, day)
                still_listed = AnomalyListing.objects.get(pk=a.pk).status == AnomalyStatus.LISTED
                assert (a.enterprise.uscc in page) == (listed_now and still_listed), (day, a.decision_no)

            # The typical case names X only while something about X is disclosed.
            page = client.get(reverse("lists_public:case", args=[case.pk]))
            if day < case.published_on:
                assert page.status_code == 404
            else:
                named = any(p.enterprise_id == x.pk for p in penalties if p.decision_no in shown)
                assert (x.name in page.content.decode()) == named, day

            # Open data (the export the clock writes each day).
            export_open_data(day, actor=SYSTEM)
            assert {r["decision_no"] for r in _jsonl(day, "penalties")} == shown, day
            assert {r["uscc"]: r["count"] for r in _jsonl(day, "exposure")} == exposed, day
            assert {r["decision_no"] for r in _jsonl(day, "serious_list")} == (
                {serious.decision_no} if serious_shown else set()
            ), day
            assert {r["decision_no"] for r in _jsonl(day, "anomaly_list")} == anomaly_shown, day

            # A credit report states what is public at the moment it is issued.
            for e in (x, y):
                report, _ = issue_credit_report(e, actor=SYSTEM)
                content = json.loads(report.canonical)["profile"]
                mine = {p.decision_no for p in penalties if p.enterprise_id == e.pk} & shown
                assert {p["decision_no"] for p in content["penalties"]} == mine, (day, e.name)

    # Both sides of the edges that matter: X is exposed while its three small fines are all
    # still public (until the first ends on 2026-04-05) and not the day after, although all
    # three are within the 2-year window; Y drops out when its first penalty leaves the window.
    assert seen_exposed[x.uscc] == {D(2026, 3, 2), D(2026, 4, 5)}
    assert D(2026, 4, 7) in seen_exposed[y.uscc] and D(2026, 4, 8) not in seen_exposed[y.uscc]
    # The serious listing is public through its last day (included, as for penalties) and
    # gone the day after.
    end = SeriousListing.objects.get(pk=serious.pk).expires_on
    assert policy.visible(serious, end) and not policy.visible(serious, end + dt.timedelta(days=1))
    assert D(2026, 4, 9) <= end <= D(2026, 4, 11)
