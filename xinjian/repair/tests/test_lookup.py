"""Issue 14: a public progress lookup of a credit-repair application by its number and
the enterprise's USCC — status and dates only, one answer for any miss, rate limited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from freezegun import freeze_time

from tests.crawl import parse
from xinjian.repair import actions

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def app(enterprise_factory, penalty_factory, apply_for, nanshan_head):
    e = enterprise_factory(name="深圳市修复进度测试有限公司", legal_representative="张三丰")
    p = penalty_factory(e, published_on=D(2025, 1, 15))
    a = apply_for("penalty_publication", p, D(2025, 7, 15))
    with freeze_time("2025-07-16 10:00:00"):
        actions.accept(a, actor=nanshan_head, on=D(2025, 7, 16))
    a.refresh_from_db()
    return a


def _look(client, number: str, uscc: str):
    r = client.get("/public/repair/progress/", {"number": number, "uscc": uscc})
    return r, parse(r.content.decode())[0]


def test_number_and_uscc_show_the_status_and_dates_only(client, app):
    r, text = _look(client, app.number, app.enterprise.uscc.lower())
    assert r.status_code == 200
    assert "当前状态： 已受理" in text
    assert "提交申请 2025-07-15" in text and "受理 2025-07-16" in text
    # nothing personal or substantive: no name, legal representative, reasons or texts
    for secret in ("深圳市修复进度测试有限公司", "张三丰", app.application_text[:10], "罚款缴纳凭证"):
        assert secret not in text


def test_a_wrong_number_or_a_wrong_uscc_get_the_same_answer(client, app, enterprise_factory):
    other = enterprise_factory()
    _r1, wrong_uscc = _look(client, app.number, other.uscc)
    _r2, wrong_number = _look(client, app.number + "9", app.enterprise.uscc)
    assert "未找到申请编号与统一社会信用代码均相符的信用修复申请" in wrong_uscc
    assert wrong_uscc == wrong_number  # no oracle: the page cannot tell which was wrong
    assert "已受理" not in wrong_uscc


def test_a_malformed_uscc_is_named_by_its_label(client, app):
    r, text = _look(client, app.number, "123")
    assert r.status_code == 200 and "统一社会信用代码：统一社会信用代码应为18位" in text


def test_lookups_are_rate_limited(client, app, settings):
    from xinjian.disclosure import ratelimit

    for _ in range(ratelimit.LIMIT):
        assert (
            client.get("/public/repair/progress/", {"number": "X", "uscc": app.enterprise.uscc}).status_code
            == 200
        )
    r = client.get("/public/repair/progress/", {"number": app.number, "uscc": app.enterprise.uscc})
    assert r.status_code == 429 and "已受理" not in r.content.decode()


def test_the_public_navigation_links_the_lookup(client):
    assert 'href="/public/repair/progress/"' in client.get("/public/").content.decode()
