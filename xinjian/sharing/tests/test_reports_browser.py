"""Playwright: public profile → 获取信用报告 → the report page → its verification link →
the verification page says the report is genuine."""

from __future__ import annotations

import pytest


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
    assert number.inner_text().startswith("XJ-440000-")
    code = page.locator('[data-field="code"]').inner_text()
    assert len(code) == 14  # ABCD-EFGH-JKLM
    assert page.get_by_role("button", name="下载PDF").get_attribute("href").endswith(f"?code={code}")

    # A partner types the number and code into the verification page.
    reported = number.inner_text()
    page.goto("/public/reports/verify/")
    page.get_by_label("报告编号").fill(reported)
    page.get_by_label("验证码").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="核验").click()
    verdict = page.locator("#verdict")
    verdict.wait_for()
    assert "核验通过" in verdict.inner_text()
    assert reported in verdict.inner_text() and "深圳市浏览器报告食品有限公司" in verdict.inner_text()
    assert "一致" in page.locator("#changed").inner_text()

    page.get_by_label("验证码").fill("AAAA-AAAA-AAAA")
    page.get_by_role("button", name="核验").click()
    page.locator("#verdict.failed").wait_for()
    assert "未找到" in page.locator("#verdict").inner_text()
