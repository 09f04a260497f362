"""The association role: staff manage members; the association sees its members' public
records only (nothing non-public) and receives their list changes by push."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from xinjian.core.actors import CLOCK
from xinjian.core.errors import DomainError
from xinjian.integrity import actions, queries
from xinjian.lists import actions as lists
from xinjian.sharing.models import Delivery
from xinjian.sharing.push import fanout

pytestmark = pytest.mark.django_db


def _login(client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="assoc"))


def _anomaly(e, on=None):
    return lists.list_anomaly(
        e, actor=CLOCK, ground="unreachable", decision_no=f"深南异〔2026〕{e.pk}号", on=on
    )


def test_the_association_sees_its_members_and_nothing_of_others(client, association):
    _login(client)
    r = client.get("/association/")
    assert r.status_code == 200
    page = r.content.decode()
    assert all(e.name in page for e in association.members_) and association.outsider.name not in page
    member = association.members_[0]
    assert client.get(f"/association/members/{member.uscc}/").status_code == 200
    assert client.get(f"/association/members/{association.outsider.uscc}/").status_code == 404
    assert client.get("/").url.endswith("/association/")
    # No staff page, no enterprise page.
    for url in ("/staff/", "/staff/enterprises/", f"/staff/enterprises/{member.uscc}/", "/public/my/"):
        assert client.get(url).status_code in (302, 403), url


def test_the_association_sees_nothing_that_is_not_public(
    client, association, penalty_factory, staff_factory, risk_assessment
):
    """A risk class, a complaint and an unpublished penalty of a member stay out of sight;
    a listing (public) shows."""
    from xinjian.collection.models import Complaint

    member = association.members_[0]
    risk_assessment(member, "D")
    Complaint.objects.create(
        enterprise=member,
        uscc=member.uscc,
        source="test",
        source_id="c1",
        received_on=dt.date(2026, 1, 5),
        category="food_safety",
        substantiated=True,
    )
    unpublished = penalty_factory(member)
    _anomaly(member)
    _login(client)
    pages = (
        client.get("/association/").content.decode()
        + client.get(f"/association/members/{member.uscc}/").content.decode()
    )
    assert "投诉" not in pages and "D类" not in pages and "风险" not in pages
    assert unpublished.decision_no not in pages
    assert f"深南异〔2026〕{member.pk}号" in pages


def test_pushes_reach_the_association_for_its_members_only(association, approver):
    sub, _secret = actions.subscribe_association(
        association, actor=approver, endpoint="https://assoc.example/push"
    )
    assert sub.audience == f"association:{association.pk}" and sub.event_types == [
        "listing.added",
        "listing.removed",
    ]
    member = association.members_[0]
    _anomaly(member)
    _anomaly(association.outsider)
    fanout()
    assert list(Delivery.objects.filter(subscription=sub).values_list("uscc", flat=True)) == [member.uscc]


def test_a_member_who_left_is_no_longer_pushed_nor_shown(client, association, approver, enterprise_factory):
    sub, _ = actions.subscribe_association(association, actor=approver, endpoint="https://assoc.example/push")
    leaving = enterprise_factory(name="退会食品公司")
    m = actions.add_member(association, leaving, actor=approver, since=dt.date(2026, 1, 1))
    with freeze_time("2026-06-10"):
        actions.end_member(m, actor=approver, on=dt.date(2026, 6, 10))
    assert queries.is_member(association, leaving.uscc, dt.date(2026, 6, 9))  # the day before
    assert not queries.is_member(association, leaving.uscc, dt.date(2026, 6, 10))  # from its day
    with freeze_time("2026-06-10"):
        _anomaly(leaving, on=dt.date(2026, 6, 10))
        fanout()
        _login(client)
        assert client.get(f"/association/members/{leaving.uscc}/").status_code == 404
    assert not Delivery.objects.filter(subscription=sub).exists()


def test_staff_manage_members_within_the_association_region(
    association, approver, enterprise_factory, client
):
    far = enterprise_factory(region_code="440106")
    with pytest.raises(DomainError) as e:
        actions.add_member(association, far, actor=approver)
    assert e.value.details[0]["field"] == "uscc" and e.value.details[0]["code"] == "outside_region"
    with pytest.raises(DomainError) as e:
        actions.add_member(association, association.members_[0], actor=approver)
    assert e.value.details[0]["code"] == "duplicate"
    client.force_login(approver)
    r = client.post(
        f"/staff/integrity/associations/{association.pk}/",
        {"step": "member", "uscc": association.outsider.uscc},
    )
    assert r.status_code == 302 and queries.is_member(association, association.outsider.uscc)
    r = client.post(
        f"/staff/integrity/associations/{association.pk}/", {"step": "member", "uscc": "bad"}, follow=True
    )
    assert "统一社会信用代码无效" in r.content.decode()
    with pytest.raises(DomainError) as e:
        actions.add_association_user(association, actor=approver, username="assoc2", password="123")
    assert e.value.details[0]["field"] == "password"


def test_an_association_login_cannot_use_another_role(client, association, staff_factory):
    other = actions.save_association(None, actor="test", name="宝安区协会", region_code="440306")
    _login(client)
    assert client.get("/staff/integrity/associations/").status_code == 403
    assert client.get(f"/staff/integrity/associations/{other.pk}/").status_code == 403
    client.logout()
    officer = staff_factory("440305", ["credit_officer"], "officer-x")
    client.force_login(officer)
    assert client.get("/association/").status_code == 403


def test_bad_input_on_the_staff_pages_is_a_clear_error_never_a_500(client, association, approver):
    client.force_login(approver)
    url = f"/staff/integrity/associations/{association.pk}/"
    for data in (
        {"step": "end", "membership": "abc"},
        {"step": "nope"},
        {"step": "member", "uscc": "x" * 5000},
        {"step": "user", "username": "u" * 500, "password": "correct-horse-9"},
        {"step": "user", "username": "ok-user", "password": "correct-horse-9", "full_name": "名" * 500},
        {"step": "subscribe", "endpoint": "https://example.org/" + "a" * 600},
    ):
        r = client.post(url, data)
        assert r.status_code in (200, 302, 404), (data, r.status_code)
    r = client.post("/staff/integrity/associations/", {"name": "协" * 300})
    assert r.status_code == 200 and "不超过200字" in r.content.decode()
    r = client.post("/staff/integrity/new/", {"kind": "x", "title": "题" * 300, "body": ""})
    assert r.status_code == 200 and "文章信息不完整或不合法" in r.content.decode()
    assert client.get("/public/integrity/?page=zzz&kind=<script>").status_code == 200
