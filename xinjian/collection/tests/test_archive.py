"""Archiving a collected record received in error (architecture rule 7: archived, never
deleted): the row stays with who/when/why, every public or counting read leaves it out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xinjian.collection.actions import archive_record
from xinjian.collection.models import Penalty
from xinjian.core.errors import Conflict, DomainError
from xinjian.core.events import Event, EventType
from xinjian.core.models import AuditEntry
from xinjian.disclosure.policy import visible_penalties

pytestmark = pytest.mark.django_db


def _published_penalty(enterprise) -> Penalty:
    return Penalty.objects.create(
        enterprise=enterprise,
        uscc=enterprise.uscc,
        source="case-system",
        source_id="P-archive-1",
        decision_no="深南罚〔2025〕9号",
        decided_on=dt.date(2025, 1, 6),
        decided_by="深圳市南山区市场监督管理局",
        domain="food_safety",
        violation="生产经营超过保质期的食品",
        penalty_types=["fine"],
        fine_amount=50000,
        status="in_force",
        published_on=dt.date(2025, 1, 10),
    )


def test_an_archived_penalty_leaves_the_public_record_and_keeps_its_row(enterprise_factory, county_officer):
    p = _published_penalty(enterprise_factory())
    on = dt.date(2025, 6, 1)
    assert list(visible_penalties(Penalty.objects.all(), on)) == [p]

    archive_record(p, actor=county_officer, reason="提供方重复报送")

    p.refresh_from_db()
    assert p.archived_at is not None and p.archived_by == "nanshan" and p.archive_reason == "提供方重复报送"
    assert list(visible_penalties(Penalty.objects.all(), on)) == []
    entry = AuditEntry.objects.get(action="record.archived")
    assert entry.uscc == p.uscc and entry.reason == "提供方重复报送"
    event = Event.objects.get(type=EventType.RECORD_ARCHIVED)
    assert event.data == {"record": "penalty", "source": "case-system", "source_id": "P-archive-1"}


def test_archiving_needs_a_reason_and_happens_once(enterprise_factory, county_officer):
    p = _published_penalty(enterprise_factory())
    with pytest.raises(DomainError) as no_reason:
        archive_record(p, actor=county_officer, reason="  ")
    assert no_reason.value.details[0]["field"] == "reason"
    p.refresh_from_db()
    assert p.archived_at is None
    archive_record(p, actor=county_officer, reason="误报")
    with pytest.raises(Conflict):
        archive_record(p, actor=county_officer, reason="误报")
    assert AuditEntry.objects.filter(action="record.archived").count() == 1


def test_an_officer_archives_from_the_enterprise_timeline_within_the_jurisdiction(
    client, county_officer, inspector, enterprise_factory
):
    mine = _published_penalty(enterprise_factory())
    client.force_login(county_officer)
    page = client.get(reverse("registry:detail", args=[mine.uscc])).content.decode()
    url = reverse("collection:archive", args=["penalty", mine.pk])
    assert url in page  # the form is offered on the timeline

    response = client.post(url, {"reason": "企业名称错报"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "企业名称错报" in page and url not in page
    # Another county's record is not there for this officer.
    other = Penalty.objects.create(
        **{
            **{
                f.attname: getattr(mine, f.attname)
                for f in Penalty._meta.concrete_fields
                if f.attname != "id"
            },
            "enterprise_id": enterprise_factory(region_code="440304").pk,
            "source_id": "P-archive-2",
            "archived_at": None,
        }
    )
    assert (
        client.post(reverse("collection:archive", args=["penalty", other.pk]), {"reason": "x"}).status_code
        == 404
    )
    # An inspector (no ingest permission) sees no form and may not post.
    client.force_login(inspector)
    assert (
        client.post(reverse("collection:archive", args=["penalty", other.pk]), {"reason": "x"}).status_code
        == 403
    )
