import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_takes_a_proposal_through_notice_decision_and_publication(
    page, staff_factory, enterprise_factory, penalty_factory, api_client_factory
):
    from django.test import Client

    staff_factory("440000", ["credit_officer", "approver"], "guangdong_credit")
    e = enterprise_factory(name="南山区失信食品有限公司")
    p = penalty_factory(e)
    _, token = api_client_factory(scopes=["constraints"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def constraints():
        return api.get(f"/api/v1/enterprises/{e.uscc}/constraints").json()

    assert constraints()["on_serious_list"] is False and constraints()["commitment_allowed"] is True

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("guangdong_credit")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")

    page.goto("/staff/lists/serious/")
    page.get_by_text("提出列入建议").click()
    page.get_by_label("统一社会信用代码").fill(e.uscc)
    page.get_by_label("列入事由").select_option("food_safety")
    page.get_by_label("所依据的处罚决定书文号（可选）").fill(p.decision_no)
    page.get_by_label("违法事实").fill("生产经营超范围使用食品添加剂的食品，货值金额较大")
    page.get_by_role("button", name="提出").click()
    expect(page.locator("#status")).to_have_text("拟列入")

    page.get_by_role("button", name="送达列入告知书").click()
    expect(page.locator("#status")).to_have_text("已告知")
    with page.context.expect_page() as notice_info:
        page.locator("#notice-link").click()
    notice = notice_info.value
    notice.wait_for_load_state()
    for shown in ("列入严重违法失信名单告知书", "陈述、申辩", p.decision_no, "不适用告知承诺制"):
        expect(notice.locator("article.notice")).to_contain_text(shown)
    notice.close()

    page.get_by_label("当事人书面放弃陈述申辩").check()
    page.get_by_role("button", name="报请审批").click()
    expect(page.locator("#status")).to_have_text("待审批")
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.locator("#status")).to_have_text("已批准")
    page.get_by_label("列入决定书文号").fill("粤市监严〔2026〕1号")
    page.get_by_role("button", name="作出列入决定").click()
    expect(page.locator("#status")).to_have_text("已决定")

    page.goto("/public/lists/serious/")
    assert page.get_by_text("南山区失信食品有限公司").count() == 0
    assert constraints()["on_serious_list"] is False

    page.go_back()
    page.get_by_role("button", name="公示", exact=True).click()
    expect(page.locator("#status")).to_have_text("已公示（惩戒中）")

    page.goto("/public/lists/serious/")
    row = page.locator("tr", has_text="南山区失信食品有限公司")
    expect(row).to_be_visible()
    expect(row).to_contain_text("粤市监严〔2026〕1号")
    page.goto("/public/lists/")
    expect(page.locator("tr", has_text="南山区失信食品有限公司").first).to_be_visible()
    body = constraints()
    assert body["on_serious_list"] is True and body["commitment_allowed"] is False
    assert "no_notification_commitment" in body["measures"]
