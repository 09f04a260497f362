"""Playwright: search → enterprise page → a penalty past its period is absent, a current
one present with its dates."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from xinjian.core.workdays import today
from xinjian.disclosure import policy, search


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_search_to_enterprise_page_shows_only_penalties_in_their_period(page, enterprise_factory):
    from xinjian.collection.models import Penalty

    e = enterprise_factory(name="深圳市浏览器测试食品有限公司")
    now = today()
    current_pub = now - dt.timedelta(days=40)
    common = {
        "enterprise": e,
        "uscc": e.uscc,
        "source": "test",
        "decided_by": "深圳市市场监督管理局",
        "domain": "food_safety",
        "violation": "标签不符合规定",
        "status": "in_force",
    }
    Penalty.objects.create(
        source_id="B-1",
        decision_no="深市监罚〔当前〕1号",
        decided_on=current_pub,
        penalty_types=["fine"],
        fine_amount=80000,
        published_on=current_pub,
        **common,
    )
    expired_pub = now - dt.timedelta(days=200)  # a criticism is shown 3 months only
    Penalty.objects.create(
        source_id="B-2",
        decision_no="深市监罚〔过期〕2号",
        decided_on=expired_pub,
        penalty_types=["criticism"],
        published_on=expired_pub,
        **common,
    )
    search.rebuild()

    page.goto("/")
    page.get_by_role("link", name="企业查询").click()
    page.get_by_label("查询内容").fill("浏览器测试")
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name="深圳市浏览器测试食品有限公司").click()

    current = page.locator('article.penalty[data-decision="深市监罚〔当前〕1号"]')
    current.wait_for()
    expect(current.locator('[data-field="published_on"]')).to_have_text(current_pub.isoformat())
    expect(current.locator('[data-field="disclosed_until"]')).to_have_text(
        policy.add_months(current_pub, 36).isoformat()
    )
    assert page.locator('article.penalty[data-decision="深市监罚〔过期〕2号"]').count() == 0
    expect(page.locator("body")).not_to_contain_text("深市监罚〔过期〕2号")
