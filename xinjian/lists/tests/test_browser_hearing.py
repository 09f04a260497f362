"""Journey: the party asks for a hearing with its statement; the officer schedules it
(the hearing notice prints), enters the outcome, and only then submits; the decision
answers the party and its document prints and downloads as PDF (issue 12 item 3)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hearing_stops_the_procedure_until_concluded_and_the_decision_document_prints(
    page, staff_factory, enterprise_factory, penalty_factory
):
    from xinjian.core.workdays import today
    from xinjian.lists import actions

    officer = staff_factory("440000", ["credit_officer", "approver"], "guangdong_credit")
    e = enterprise_factory(name="南山区听证食品有限公司")
    # Proposed by the province (which approves its own decisions) and notified today.
    s = actions.propose_serious(e, actor=officer, ground="food_safety", penalty=penalty_factory(e))
    actions.notify_party(s, actor=officer)

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("guangdong_credit")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")

    page.goto(f"/staff/lists/serious/{s.pk}/")
    page.get_by_label("当事人陈述申辩").fill("涉案产品已召回，要求听证")
    page.get_by_label("要求听证").check()
    page.get_by_role("button", name="登记陈述申辩").click()
    expect(page.locator("#status")).to_have_text("已申请听证")
    expect(page.locator("#hearing-blocks")).to_be_visible()
    expect(page.get_by_role("button", name="报请审批")).to_have_count(0)

    # Six days' notice is refused with the earliest day; seven is accepted.
    page.get_by_label("听证日期").fill((today() + dt.timedelta(days=6)).isoformat())
    page.get_by_label("听证地点").fill("南山局三楼听证室")
    page.get_by_label("听证主持人").fill("李主持")
    page.get_by_role("button", name="安排听证并通知当事人").click()
    expect(page.get_by_text((today() + dt.timedelta(days=7)).isoformat()).first).to_be_visible()
    expect(page.locator("#status")).to_have_text("已申请听证")
    page.get_by_label("听证日期").fill((today() + dt.timedelta(days=7)).isoformat())
    page.get_by_label("听证地点").fill("南山局三楼听证室")
    page.get_by_label("听证主持人").fill("李主持")
    page.get_by_role("button", name="安排听证并通知当事人").click()
    expect(page.locator("#status")).to_have_text("听证已安排")
    with page.context.expect_page() as info:
        page.locator("#hearing-notice-link").click()
    notice = info.value
    expect(notice.locator("article.notice")).to_contain_text("听证通知书")
    expect(notice.locator("article.notice")).to_contain_text("南山局三楼听证室")
    notice.close()

    page.get_by_label("听证结论").select_option("withdrawn")
    page.get_by_role("button", name="登记听证笔录和结论").click()
    expect(page.locator("#status")).to_have_text("听证已结束")
    expect(page.locator("#hearing-outcome")).to_contain_text("视为放弃")

    page.get_by_role("button", name="报请审批").click()
    expect(page.locator("#status")).to_have_text("待审批")
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.locator("#status")).to_have_text("已批准")
    page.get_by_label("列入决定书文号").fill("粤市监严〔2026〕21号")
    page.get_by_label("对陈述申辩、听证意见的采纳情况").fill(
        "当事人撤回听证申请；所称召回不影响列入，不予采纳。"
    )
    page.get_by_role("button", name="作出列入决定").click()
    expect(page.locator("#status")).to_have_text("已决定")

    with page.context.expect_page() as info:
        page.locator("#decision-link").click()
    doc = info.value
    body = doc.locator("article.notice")
    expect(body).to_contain_text("列入严重违法失信名单决定书")
    expect(body).to_contain_text("粤市监严〔2026〕21号")
    expect(body).to_contain_text("不予采纳")
    expect(body).to_contain_text("六十日内")
    pdf = doc.request.get(doc.url + "?format=pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
