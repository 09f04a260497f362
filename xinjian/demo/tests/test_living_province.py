"""Issue 14: the demo is a living province. After `demo --prepare` (the generator
`make run` uses, at a smaller size) the public lists have entries, the staff side has
every state, no draft is overdue unless the story wants it, published results are dated
after their draw, today's open data holds a commitment, every demo login has work in its
queue and `demo_logins` says what each can try first."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from xinjian.collection.models import Inspection
from xinjian.core.workdays import local_day, today
from xinjian.demo.first_steps import first_step
from xinjian.demo.users import LOGINS
from xinjian.disclosure.exports import export_dir
from xinjian.inspections.models import Draw
from xinjian.lists.models import AnomalyListing, SeriousListing, TypicalCase

pytestmark = pytest.mark.django_db
ENTERPRISES = 1200


@pytest.fixture
def province():
    call_command("demo", enterprises=ENTERPRISES, seed=1, prepare=True, stdout=io.StringIO())


def test_the_demo_is_a_living_province(province):
    day = today()
    anomaly = set(AnomalyListing.objects.values_list("status", flat=True))
    assert {"draft", "listed", "removed"} <= anomaly
    assert not AnomalyListing.objects.filter(status="draft", listing_due__lt=day).exists(), (
        "no overdue drafts"
    )
    serious = set(SeriousListing.objects.values_list("status", flat=True))
    assert {"proposed", "notified", "pending_approval", "published"} <= serious
    assert set(TypicalCase.objects.values_list("status", flat=True)) >= {"draft", "published"}

    public = Client()
    for path, model, status in (
        ("/public/lists/anomaly/", AnomalyListing, "listed"),
        ("/public/lists/serious/", SeriousListing, "published"),
    ):
        html = public.get(path).content.decode()
        names = model.objects.filter(status=status).values_list("enterprise__name", flat=True)
        assert sum(name in html for name in names) >= 3, path
    case = TypicalCase.objects.filter(status="published").first()
    assert case.title in public.get("/public/lists/cases/").content.decode()

    # Published inspection results of the platform's tasks are dated after their draw.
    for draw in Draw.objects.select_related("task"):
        drawn_on = local_day(draw.drawn_at)
        results = Inspection.objects.filter(source=f"inspections:{draw.task.code}")
        assert results.exists()
        assert not results.filter(inspected_on__lt=drawn_on).exists(), draw.task.code
        if draw.task.state == "results":
            assert not results.filter(published_on__isnull=True).exclude(result="closed").exists()
            assert not results.filter(published_on__lt=drawn_on).exists()

    rows = [
        json.loads(line)
        for line in (export_dir(day) / "commitments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert any(r["committed_on"] == day.isoformat() for r in rows), "today's open data has today's commitment"

    # Every persona has work in its queue, and demo_logins says what to try first.
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for login in LOGINS:
        user = User.objects.get(username=login.username)
        what, _path = first_step(user)
        assert what in text
        if login.username != "demo_admin":
            counts = [int(x) for x in __import__("re").findall(r"(\d+) (?:户|份|件|个|项|家)", what)]
            assert counts and max(counts) > 0, (login.username, what)
