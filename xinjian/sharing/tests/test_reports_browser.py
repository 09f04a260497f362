"""Playwright: public profile → 获取信用报告 → the report page → its verification link →
the verification page says the report is genuine."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_profile_to_report_to_verification(page, enterprise_factory):
    from django.core.cache import caches

    caches["default"].clear()  # rate-limit counters from other tests
    e = enterprise_factory(name="深圳市浏览器报告食品有限公司")

    page.goto(f"/public/enterprises/{e.uscc}/")
    page.get_by_role("button", name="获取信用报告").click()
    number = page.locator('[data-field="number"]')
    number.wait_for()
    expect(number).to_have_text(re.compile(r"^XJ-440000-"))
    expect(page.locator('[data-field="code"]')).to_have_text(re.compile(r"^\w{4}-\w{4}-\w{4}$"))
    code = page.locator('[data-field="code"]').inner_text()  # ABCD-EFGH-JKLM, read once shown
    assert page.get_by_role("button", name="下载PDF").get_attribute("href").endswith(f"?code={code}")

    # A partner types the number and code into the verification page.
    reported = number.inner_text()
    page.goto("/public/reports/verify/")
    page.get_by_label("报告编号").fill(reported)
    page.get_by_label("验证码").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="核验").click()
    verdict = page.locator("#verdict")
    verdict.wait_for()
    expect(verdict).to_contain_text("核验通过")
    expect(verdict).to_contain_text(reported)
    expect(verdict).to_contain_text("深圳市浏览器报告食品有限公司")
    expect(page.locator("#changed")).to_contain_text("一致")

    page.get_by_label("验证码").fill("AAAA-AAAA-AAAA")
    page.get_by_role("button", name="核验").click()
    page.locator("#verdict.failed").wait_for()
    expect(page.locator("#verdict")).to_contain_text("未找到")
