"""End to end in Chromium: the enterprise applies for early stop of a penalty's
publication (with a PDF), the Nanshan office accepts and approves, and the public
profile no longer shows the penalty."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _login(pg, username: str) -> None:
    pg.goto("/accounts/login/")
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill("correct-horse-9")
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_load_state()


def test_enterprise_applies_staff_accept_and_approve_and_the_public_page_changes(
    page, browser, live_server, enterprise_user, penalty_factory, staff_factory, settings, tmp_path
):
    from xinjian.core.workdays import today

    settings.VAR_DIR = tmp_path
    staff_factory("440305", ["credit_officer", "approver"], "nanshan_head")
    enterprise = enterprise_user.enterprise_user.enterprise
    p = penalty_factory(
        enterprise,
        decided_on=today() - dt.timedelta(days=220),
        published_on=today() - dt.timedelta(days=210),
        decision_no="深南市监罚〔2026〕88号",
    )

    page.goto(f"/public/enterprises/{enterprise.uscc}/")
    assert page.get_by_text("深南市监罚〔2026〕88号").count() > 0

    _login(page, "qiye")
    page.goto("/public/my/repair/")
    card = page.locator("article.record", has_text="深南市监罚〔2026〕88号")
    expect(card).to_contain_text("符合申请条件")
    expect(card).to_contain_text("公示期已满最短期限")
    card.get_by_role("button", name="申请信用修复").click()
    page.locator("#application_text").fill("已缴清罚款并完成全面整改，申请提前停止公示。")
    page.locator("#proof_description").fill("罚款缴纳凭证；整改报告")
    page.locator("input[name=documents]").set_input_files(
        files=[{"name": "缴款凭证.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("#commitment_confirmed").check()
    page.locator("#submit-application").click()
    expect(page.locator("#status")).to_have_text("已提交")
    expect(page.get_by_text("缴款凭证.pdf")).to_have_count(1)
    number = page.locator("h2").inner_text().split()[-1]

    staff_page = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    _login(staff_page, "nanshan_head")
    staff_page.goto("/staff/repair/")
    staff_page.get_by_role("link", name=number).click()
    staff_page.locator("form[data-action=accept] button").click()
    expect(staff_page.locator("#status")).to_have_text("已受理")
    approve = staff_page.locator("form[data-action=approve]")
    approve.get_by_label("信用修复决定书编号").fill("深南信修〔2026〕1号")
    approve.get_by_label("已审查证明材料").check()
    approve.get_by_role("button", name="准予修复").click()
    expect(staff_page.locator("#status")).to_have_text("已更新公示（办结）")

    page.goto(f"/public/enterprises/{enterprise.uscc}/")
    assert page.get_by_text("深南市监罚〔2026〕88号").count() == 0
    p.refresh_from_db()
    assert p.publication_stopped_on == today()
