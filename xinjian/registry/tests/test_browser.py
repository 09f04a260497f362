import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_searches_and_opens_an_enterprise_page(
    page, county_officer, enterprise_factory, licence_factory
):
    import datetime as dt

    from xinjian.collection.tagging import apply_licence_changes
    from xinjian.core.actors import Actor

    e = enterprise_factory(name="南山区放心食品有限公司")
    apply_licence_changes(
        [licence_factory(e, licence_no="SC10144030500017")], actor=Actor("t"), on=dt.date(2025, 1, 1)
    )

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("nanshan")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.get_by_role("link", name="主体查询").first.click()
    page.get_by_placeholder("企业名称、统一社会信用代码或注册号").fill("放心食品")
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name="南山区放心食品有限公司").click()

    expect(page.get_by_role("heading", name="南山区放心食品有限公司")).to_be_visible()
    expect(page.locator("#licences").get_by_text("SC10144030500017")).to_be_visible()
    expect(page.locator("#key-areas .tag", has_text="食品生产企业")).to_be_visible()


def test_wrong_password_is_refused_in_chinese(page, county_officer):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("nanshan")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码错误")).to_be_visible()
