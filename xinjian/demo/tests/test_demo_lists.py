"""The demo shows issue 12's list procedures (items 3, 4, 7): a hearing requested and
waiting, one concluded with a printable decision document, an escalation ended by the
re-check with its reason, and an individual business in the abnormal business state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from freezegun import freeze_time

from xinjian.core.workdays import SHANGHAI
from xinjian.demo.generator import generate
from xinjian.demo.lists_legal import demo_list_procedures
from xinjian.lists.models import AnomalyListing, SeriousListing

ON = dt.date(2026, 6, 15)
pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_hearing_the_decision_document_a_lapsed_escalation_and_a_marked_shop(client):
    stats = generate(200, 7, on=ON)
    assert stats.counts.get("list_procedures") == 4
    waiting = SeriousListing.objects.get(status="hearing_scheduled")
    assert waiting.hearing_on == ON + dt.timedelta(days=5)
    decided = SeriousListing.objects.get(hearing_outcome="list", status="published")
    assert decided.decision_served_on == ON - dt.timedelta(days=44) and decided.reconsideration_due
    lapsed = SeriousListing.objects.get(status="lapsed")
    assert lapsed.dropped_reason == "已办理住所（经营场所）变更登记"
    mark = AnomalyListing.objects.get(kind="state")
    assert mark.enterprise.uscc.startswith("92") and mark.status == "listed"
    assert demo_list_procedures(ON) == {}  # once only

    client.force_login(User.objects.get(username="demo_nanshan"))
    with freeze_time(dt.datetime.combine(ON, dt.time(10), tzinfo=SHANGHAI)):
        page = client.get(reverse("lists:serious_detail", args=[waiting.pk])).content.decode()
        assert 'id="hearing-blocks"' in page
        doc = client.get(reverse("lists:serious_decision_document", args=[decided.pk])).content.decode()
        assert (
            "列入严重违法失信名单决定书" in doc
            and decided.decision_no in doc
            and "听证" in doc
            and "申请行政复议的期限至" in doc
        )
        assert lapsed.dropped_reason in client.get(reverse("lists:serious_list")).content.decode()
        profile = client.get(f"/public/enterprises/{mark.enterprise.uscc}/").content.decode()
        assert "经营异常状态" in profile
