"""Issue 14: Chinese everywhere it is meant to be. Every page each demo persona can reach
by following links — staff roles, the enterprise, the anonymous public — is crawled, and
its visible text must not show a code instead of words: no snake_case token, no raw enum
value (`draft`, `submitted`), no 5xx. The admin's app names are Chinese too."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.crawl import crawl, enum_values, offending

pytestmark = pytest.mark.django_db

PERSONAS = [
    None,  # the public
    "demo_enterprise",
    "demo_province",
    "demo_nanshan",
    "demo_food",
    "demo_inspector1",
    "demo_enforcement",
    "demo_approver",
    "demo_admin",
]
PUBLIC_START = ["/", "/public/", "/public/lists/", "/public/lists/anomaly/", "/public/reports/verify/"]


@pytest.fixture
def demo_province(db):
    call_command("demo", enterprises=80, seed=1, stdout=io.StringIO())


def test_no_page_shows_a_code_instead_of_words(demo_province):
    enums = enum_values()
    assert {"draft", "submitted", "published"} <= enums  # the check knows the states
    # A login name is a person's own identifier, not a code (history rows name who acted).
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    problems: dict[str, set[str]] = {}
    crawled = {}
    for name in PERSONAS:
        client = Client()
        start = PUBLIC_START
        if name:
            client.force_login(get_user_model().objects.get(username=name))
            start = ["/staff/", "/public/my/", *PUBLIC_START]
        n = 0
        for path, status, text in crawl(client, start, max_pages=120):
            n += 1
            assert status < 500, (name, path)
            for token in set(offending(text, enums)) - usernames:
                problems.setdefault(token, set()).add(f"{name or 'public'} {path}")
        crawled[name] = n
    assert all(n >= 5 for n in crawled.values()), crawled
    assert problems == {}


def test_the_crawl_would_see_a_code(client):
    """The check itself: a raw state and a snake_case key are caught, prose is not."""
    enums = {"draft", "submitted"}
    assert offending("状态 draft → submitted，字段 inspected_on 有误", enums) == [
        "draft",
        "inspected_on",
        "submitted",
    ]
    assert offending("文件 audit_chain_head.json，网址 https://x.test/a_b，邮箱 a_b@x.test", enums) == []


def test_the_admin_speaks_chinese(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="correct-horse-9")
    client.force_login(admin)
    body = client.get("/admin/").content.decode()
    for english in ("Accounts", "Collection", "Inspections", "Registry", "Risk", "Repair", "Demo", "Core"):
        assert f">{english}<" not in body and f"{english} 管理" not in body
    assert "账号与角色" in body and "登录锁定" in body and ">Axes<" not in body
