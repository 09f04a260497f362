"""The serious-list procedure, reactions to collected facts, what is public, constraints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from freezegun import freeze_time

from xinjian.collection.models import AnnualReport, Inspection, ListDecision
from xinjian.core.actors import SYSTEM
from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed
from xinjian.core.events import EventType, emit
from xinjian.core.models import Event
from xinjian.lists import actions
from xinjian.lists.disclosure import public_listings
from xinjian.lists.models import AnomalyListing, ListRuleSet, SeriousListing
from xinjian.lists.reactions import react

pytestmark = pytest.mark.django_db
D = dt.date


def _emit(type_, e, **data):
    with transaction.atomic():
        emit(type_, uscc=e.uscc, region_code=e.region_code, data=data)


def test_a_heavier_food_penalty_is_proposed_for_the_serious_list_and_a_warning_is_not(
    enterprise_factory, penalty_factory
):
    heavy, light = enterprise_factory(), enterprise_factory()
    penalty_factory(heavy)
    penalty_factory(light, penalty_types=["warning"])
    penalty_factory(light, penalty_types=["licence_revocation"], domain="registration")  # not a listed domain
    _emit(EventType.PENALTY_RECORDED, heavy)
    _emit(EventType.PENALTY_RECORDED, light)
    react()
    s = SeriousListing.objects.get()
    assert (
        s.enterprise == heavy
        and s.source == "penalty"
        and s.ground == "food_safety"
        and s.status == "proposed"
    )
    react()
    _emit(EventType.PENALTY_CHANGED, heavy)
    react()
    assert SeriousListing.objects.count() == 1  # re-delivery proposes nothing twice


def test_aggravated_fine_counts_as_heavier_penalty(enterprise_factory, penalty_factory):
    e = enterprise_factory()
    penalty_factory(e, penalty_types=["fine"], aggravated=True, domain="special_equipment")
    _emit(EventType.PENALTY_RECORDED, e)
    react()
    assert SeriousListing.objects.get().ground == "quality_safety"


def test_unreachable_inspection_drafts_an_anomaly_listing_and_filed_report_event_removes(
    enterprise_factory, listed_anomaly
):
    e = enterprise_factory()
    Inspection.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source="t",
        source_id="I1",
        inspected_on=D(2026, 4, 1),
        inspected_by="南山局",
        kind="random",
        result="unreachable",
    )
    _emit(EventType.INSPECTION_RECORDED, e)
    react()
    draft = AnomalyListing.objects.get(enterprise=e)
    assert draft.status == "draft" and draft.ground == "unreachable" and draft.listing_due

    other = enterprise_factory()
    listing = listed_anomaly(
        D(2026, 7, 1), ground="annual_report_missing", enterprise=other, report_year=2025
    )
    AnnualReport.objects.create(
        enterprise=other, uscc=other.uscc, year=2025, filed_on=D(2026, 8, 3), source="t"
    )
    with freeze_time("2026-08-03 10:00:00+08:00"):
        _emit(EventType.ANNUAL_REPORT_FILED, other)
        react()
    listing.refresh_from_db()
    assert listing.status == "removed" and listing.removed_on == D(2026, 8, 3)


def test_list_decisions_from_case_systems_take_effect_once(enterprise_factory, penalty_factory):
    e = enterprise_factory()
    p = penalty_factory(e)
    ListDecision.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source="case",
        source_id="LD1",
        list="serious",
        action="add",
        ground="food_safety",
        decided_on=D(2026, 4, 1),
        decided_by="深圳市市场监督管理局",
        decision_no="深市监严〔2026〕9号",
        basis_decision_no=p.decision_no,
    )
    ListDecision.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source="case",
        source_id="LD2",
        list="anomaly",
        action="add",
        ground="no_such_ground",
        decided_on=D(2026, 4, 1),
        decided_by="x",
        decision_no="y",
    )
    _emit(EventType.LIST_DECISION_RECORDED, e)
    react()
    react()
    s = SeriousListing.objects.get()
    assert s.status == "published" and s.penalty == p and s.decision_no == "深市监严〔2026〕9号"
    assert not AnomalyListing.objects.exists()
    assert Event.objects.filter(type="listing.added", uscc=e.uscc).count() == 1


def test_approval_must_come_from_the_department_one_level_up(
    enterprise_factory, staff_factory, penalty_factory
):
    county = staff_factory("440305", ["credit_officer", "approver"])
    city_approver = staff_factory("440300", ["approver"])
    e = enterprise_factory()
    s = actions.propose_serious(
        e, actor=county, ground="food_safety", on=D(2026, 4, 1), penalty=penalty_factory(e)
    )
    actions.notify_party(s, actor=county, on=D(2026, 4, 1))
    with pytest.raises(DomainError):  # the statement period (5 WD) still runs
        actions.submit_for_approval(s, actor=county, on=D(2026, 4, 3))
    actions.submit_for_approval(s, actor=county, on=s.statement_due + dt.timedelta(days=1))
    with pytest.raises(NotAllowed):
        actions.approve_serious(s, actor=county)
    actions.approve_serious(s, actor=city_approver)
    with pytest.raises(InvalidTransition):
        actions.publish_serious(s, actor=county)
    rules = ListRuleSet.objects.get()
    rules.approval_by_level_above = False
    rules.save()
    s2 = actions.propose_serious(
        enterprise_factory(), actor=county, ground="consumer_rights", on=D(2026, 4, 1), facts="x"
    )
    actions.notify_party(s2, actor=county, on=D(2026, 4, 1))
    actions.submit_for_approval(s2, actor=county, waived=True)
    actions.approve_serious(s2, actor=county)
    assert s2.status == "approved"


def test_public_record_after_early_removal_shows_neither_listing_nor_removal(published_serious):
    s = published_serious(D(2024, 3, 1))
    assert public_listings(s.enterprise, D(2025, 1, 1))["serious_listing"]["decision_no"] == s.decision_no
    with pytest.raises(DomainError):
        actions.remove_serious_early(s, actor=SYSTEM, on=D(2025, 2, 28))  # less than one year
    actions.remove_serious_early(s, actor=SYSTEM, on=D(2025, 3, 1), reference="修复〔2025〕1号")
    assert public_listings(s.enterprise, D(2025, 3, 1)) == {"anomaly_listings": [], "serious_listing": None}


def test_anomaly_removal_stays_public_but_a_revoked_listing_disappears(listed_anomaly):
    kept = listed_anomaly(D(2026, 1, 5))
    actions.remove_anomaly(kept, actor=SYSTEM, reason="address_changed", on=D(2026, 2, 2))
    shown = public_listings(kept.enterprise, D(2026, 3, 1))["anomaly_listings"]
    assert [a["removal_reason"] for a in shown] == ["address_changed"]
    assert public_listings(kept.enterprise, D(2026, 1, 20))["anomaly_listings"][0]["removed_on"] is None
    wrong = listed_anomaly(D(2026, 1, 5))
    actions.revoke_anomaly(wrong, actor=SYSTEM, reason="列入错误", on=D(2026, 1, 9))
    assert public_listings(wrong.enterprise, D(2026, 1, 9))["anomaly_listings"] == []


def test_constraints_endpoint_reports_lists_measures_and_commitment(
    client, api_client_factory, published_serious, listed_anomaly, enterprise_factory
):
    _, token = api_client_factory(scopes=["constraints"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    clean = enterprise_factory()
    body = client.get(f"/api/v1/enterprises/{clean.uscc}/constraints", **auth).json()
    assert (
        body["on_anomaly_list"] is False
        and body["on_serious_list"] is False
        and body["commitment_allowed"] is True
    )
    assert set(body) >= {
        "uscc",
        "on_anomaly_list",
        "on_serious_list",
        "commitment_allowed",
        "measures",
        "as_of",
    }
    with freeze_time("2026-05-06 10:00:00+08:00"):
        s = published_serious(D(2026, 5, 6))
        body = client.get(f"/api/v1/enterprises/{s.enterprise.uscc.lower()}/constraints", **auth).json()
    assert body["on_serious_list"] is True and body["commitment_allowed"] is False
    assert "no_notification_commitment" in body["measures"] and "no_procurement" in body["measures"]
    _emit(EventType.COMMITMENT_UNTRUE, clean)
    assert (
        client.get(f"/api/v1/enterprises/{clean.uscc}/constraints", **auth).json()["commitment_allowed"]
        is False
    )
    _emit(EventType.REPAIR_APPROVED, clean)
    assert (
        client.get(f"/api/v1/enterprises/{clean.uscc}/constraints", **auth).json()["commitment_allowed"]
        is True
    )
    assert client.get("/api/v1/enterprises/91350100M000100Y43/constraints", **auth).status_code == 404
    _, other = api_client_factory(scopes=["changes"])
    assert (
        client.get(
            f"/api/v1/enterprises/{clean.uscc}/constraints", HTTP_AUTHORIZATION=f"Bearer {other}"
        ).status_code
        == 403
    )


def test_typical_case_needs_a_second_person_to_review_before_publication(
    client, staff_factory, enterprise_factory, penalty_factory
):
    writer, reviewer = staff_factory("440305"), staff_factory("440305")
    e, unbacked = enterprise_factory(), enterprise_factory()
    penalty_factory(e, decided_on=dt.date.today(), published_on=dt.date.today())
    client.force_login(writer)
    client.post(
        reverse("lists:case_new"),
        {"title": "某食品公司超范围使用添加剂案", "body": "案情……", "usccs": f"{e.uscc}\n{unbacked.uscc}"},
    )
    from xinjian.lists.models import TypicalCase

    case = TypicalCase.objects.get()
    client.post(reverse("lists:case_action", args=[case.pk]), {"action": "review"})
    case.refresh_from_db()
    assert case.status == "draft"
    client.force_login(reviewer)
    client.post(reverse("lists:case_action", args=[case.pk]), {"action": "review"})
    client.post(reverse("lists:case_action", args=[case.pk]), {"action": "publish"})
    client.logout()
    page = client.get(reverse("lists_public:case", args=[case.pk])).content.decode()
    assert "某食品公司超范围使用添加剂案" in page and e.name in page
    # Named only while a disclosed record backs the naming (disclosure.policy.case_enterprises).
    assert unbacked.name not in page


def test_staff_and_public_pages_render(
    client,
    county_officer,
    published_serious,
    listed_anomaly,
    penalty_factory,
    enterprise_factory,
    api_client_factory,
    licence_factory,
):
    s = published_serious(D(2026, 3, 2))
    a = listed_anomaly(D(2026, 1, 5))
    repeat = enterprise_factory(name="屡罚不改食品厂")
    for i in range(3):
        penalty_factory(
            repeat,
            penalty_types=["fine"],
            decided_on=dt.date.today() - dt.timedelta(days=30 * (i + 1)),
            published_on=dt.date.today() - dt.timedelta(days=30 * (i + 1)),
        )
    from xinjian.sharing.models import Feedback

    client_row, _ = api_client_factory(scopes=["changes"])
    Feedback.objects.create(
        client=client_row,
        uscc=s.enterprise.uscc,
        measure="no_procurement",
        action_taken="暂停其政府采购投标资格",
        applied_on=D(2026, 3, 10),
        department="深圳市财政局",
    )
    client.force_login(county_officer)
    for url in [
        reverse("lists:index"),
        reverse("lists:anomaly_list"),
        reverse("lists:serious_list"),
        reverse("lists:rules"),
        reverse("lists:serious_detail", args=[s.pk]),
        reverse("lists:serious_notice", args=[s.pk]),
        reverse("lists:anomaly_detail", args=[a.pk]),
        reverse("lists:cases"),
        reverse("registry:detail", args=[s.enterprise.uscc]),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
    detail = client.get(reverse("registry:detail", args=[s.enterprise.uscc])).content.decode()
    assert "不适用" in detail and "暂停其政府采购投标资格" in detail and "深圳市财政局" in detail
    client.logout()
    assert s.enterprise.name in client.get(reverse("lists_public:serious")).content.decode()
    assert a.enterprise.name in client.get(reverse("lists_public:anomaly")).content.decode()
    exposure = client.get(reverse("lists_public:exposure")).content.decode()
    assert "屡罚不改食品厂" in exposure and s.enterprise.name in exposure
    assert (
        s.enterprise.name
        not in client.get(reverse("lists_public:serious"), {"region": "440106"}).content.decode()
    )
    assert (
        s.enterprise.name
        not in client.get(reverse("lists_public:serious"), {"key_area": "food_production"}).content.decode()
    )
    from xinjian.collection.tagging import apply_licence_changes
    from xinjian.core.actors import Actor

    apply_licence_changes([licence_factory(s.enterprise)], actor=Actor("t"), on=D(2026, 1, 1))
    assert (
        s.enterprise.name
        in client.get(reverse("lists_public:serious"), {"key_area": "food_production"}).content.decode()
    )


def test_out_of_jurisdiction_listing_is_404(client, county_officer, listed_anomaly, enterprise_factory):
    a = listed_anomaly(D(2026, 1, 5), enterprise=enterprise_factory(region_code="440304"))
    client.force_login(county_officer)
    assert client.get(reverse("lists:anomaly_detail", args=[a.pk])).status_code == 404


def test_registered_change_of_address_removes_an_unreachable_listing(listed_anomaly, enterprise_factory):
    e = enterprise_factory(address="深圳市南山区科技园1号")
    listing = listed_anomaly(D(2026, 3, 2), ground="unreachable", enterprise=e)
    _emit(EventType.ENTERPRISE_CHANGED, e)
    react()
    listing.refresh_from_db()
    assert listing.status == "listed"  # nothing changed yet
    e.address = "深圳市南山区粤海街道2号"
    e.save()
    with freeze_time("2026-04-01 09:00:00+08:00"):
        _emit(EventType.ENTERPRISE_CHANGED, e)
        react()
    listing.refresh_from_db()
    assert (
        listing.status == "removed"
        and listing.removal_reason == "address_changed"
        and listing.removed_on == D(2026, 4, 1)
    )
