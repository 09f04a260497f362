"""Issue 13 item 8 in a real browser: under the Content-Security-Policy nothing on the
pages is refused (no inline script or style left), and the behaviour moved to
static/js/xinjian.js still works (the language switch submits itself)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_run_under_the_policy_without_a_single_violation(page, county_officer):
    page.set_default_timeout(60_000)  # a loaded CI machine; nothing here waits on purpose
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("nanshan")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")
    for url in ["/staff/", "/staff/enterprises/", "/public/", "/api/v1/docs"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.goto("/public/")
    with page.expect_navigation():
        page.get_by_label("language").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert refused == []
