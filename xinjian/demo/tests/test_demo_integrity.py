"""The demo's integrity section (seed 十四): what a visitor finds after `manage.py demo`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from xinjian.demo.integrity import demo_integrity
from xinjian.demo.users import DEMO_PASSWORD
from xinjian.integrity.models import Article, ArticleStatus, IndustryAssociation, Membership
from xinjian.sharing.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_demo_has_articles_an_association_with_members_a_login_and_a_push(client):
    call_command("demo", enterprises=150, seed=2, stdout=io.StringIO())
    statuses = sorted(Article.objects.values_list("status", flat=True))
    assert statuses == [ArticleStatus.PENDING, ArticleStatus.PUBLISHED, ArticleStatus.PUBLISHED]
    pending = Article.objects.get(status=ArticleStatus.PENDING)
    assert pending.written_by == "demo_nanshan"  # so demo_province can approve it (four eyes)
    association = IndustryAssociation.objects.get()
    assert Membership.objects.filter(association=association, ended_on__isnull=True).count() >= 2
    assert Delivery.objects.filter(subscription__audience=f"association:{association.pk}").exists()

    r = client.post("/accounts/login/", {"username": "demo_association", "password": DEMO_PASSWORD})
    assert r.status_code == 302
    assert client.get("/").url.endswith("/association/")
    assert association.name in client.get("/association/").content.decode()
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "demo_association" in out.getvalue() and "/association/" in out.getvalue()

    demo_integrity()  # a second run adds nothing
    assert Article.objects.count() == 3 and IndustryAssociation.objects.count() == 1
