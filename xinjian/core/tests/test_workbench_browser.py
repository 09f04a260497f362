"""Issue 14 in a real browser: the workbench's charts are drawn by the vendored Apache
ECharts under the Content-Security-Policy (nothing refused), the site has a favicon, and
at 390 px a wide table scrolls inside the page instead of widening it."""

import datetime as dt

import pytest
from freezegun import freeze_time
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")


def test_workbench_lists_the_work_and_draws_its_charts_under_the_csp(page, staff_factory, enterprise_factory):
    from xinjian.core.actors import SYSTEM
    from xinjian.lists.actions import list_anomaly

    e = enterprise_factory(name="深圳市图表测试有限公司", region_code="440305")
    with freeze_time("2026-01-05 10:00:00"):
        list_anomaly(e, actor=SYSTEM, ground="unreachable", on=dt.date(2026, 1, 5), draft=True)
    staff_factory("440000", ["credit_officer"], "guangdong")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    _login(page, "guangdong")
    row = page.locator("table.todo tbody tr").first
    expect(row).to_contain_text("审批列入经营异常名录")
    expect(row).to_contain_text("深圳市图表测试有限公司")
    expect(row).to_contain_text("已超期")
    charts = page.locator(".echart[data-ready='1']")
    expect(charts.first).to_be_visible()
    expect(charts.first.locator("canvas")).to_have_count(1)
    expect(page.locator("figcaption", has_text="名单流入与流出")).to_be_visible()
    row.get_by_role("link", name="去办理").click()
    page.wait_for_url("**/staff/lists/anomaly/*/")
    expect(page.locator("main")).to_contain_text("深圳市图表测试有限公司")
    assert refused == []


def test_favicon_is_served(page, live_server):
    page.goto("/public/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(href).status == 200
    assert page.request.get("/favicon.ico").status == 200  # follows the redirect


def test_list_tables_scroll_inside_the_page_at_390px(browser, live_server, staff_factory, enterprise_factory):
    from xinjian.core.actors import SYSTEM
    from xinjian.lists.actions import list_anomaly

    for n in range(3):
        e = enterprise_factory(name=f"深圳市窄屏测试第{n}有限责任公司", region_code="440305")
        list_anomaly(e, actor=SYSTEM, ground="unreachable", draft=True)
    staff_factory("440305", ["credit_officer"], "nanshan")
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, "nanshan")
    for url in ["/staff/", "/staff/lists/anomaly/", "/public/lists/anomaly/"]:
        page.goto(url)
        expect(page.locator("main")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + '<' + e.parentElement.parentElement.tagName + '.' + e.parentElement.parentElement.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert width <= 390, (url, width, wide)
    page.goto("/staff/lists/anomaly/")
    table = page.locator("main table").first
    expect(table).to_be_visible()
    # the table keeps its columns and scrolls sideways on its own
    assert table.evaluate("t => t.scrollWidth > t.clientWidth || getComputedStyle(t).overflowX === 'auto'")
    context.close()
