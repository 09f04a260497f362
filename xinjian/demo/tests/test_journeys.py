"""Issue 14, done means: one journey per persona in Chromium, from the demo as `make run`
loads it (`demo --prepare`, the same generator at a smaller size), each finishing its
work and checking what the public then sees.

- the approver approves an anomaly draft and a credit repair from their pages;
- an inspector enters a result for a target assigned to them, the county's credit
  office publishes it;
- the enterprise applies for a repair, reads why a small fine needs none, and replies to
  one of its records;
- the public / a business partner searches an enterprise by a two-character fragment,
  opens its profile, obtains a credit report, verifies it, and looks up a credit-repair
  application's progress.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from xinjian.demo.users import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ENTERPRISES = 1200


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo", enterprises=ENTERPRISES, seed=1, prepare=True, stdout=io.StringIO())


def _login(pg, username: str) -> None:
    pg.goto("/accounts/login/")
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(DEMO_PASSWORD)
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_load_state()


def _context(browser, live_server):
    pg = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    pg.set_default_timeout(15_000)
    return pg


def test_the_approver_approves_a_draft_and_a_repair_and_the_public_sees_both(
    demo, page, browser, live_server
):
    from xinjian.lists.models import AnomalyListing
    from xinjian.repair.models import RepairApplication

    _login(page, "demo_approver")
    # An anomaly draft awaiting approval, from the lists overview to its page.
    page.goto("/staff/lists/")
    draft = AnomalyListing.objects.filter(status="draft", enterprise__region_code__startswith="4403").first()
    assert draft is not None, "the demo leaves drafts for the city's approver"
    page.get_by_role("link", name=draft.enterprise.name).first.click()
    form = page.locator("form[data-action=list]")
    form.get_by_label("列入决定书文号").fill("深市监异字〔2026〕88号")
    form.get_by_role("button", name="批准列入").click()
    expect(page.get_by_text("已批准列入，列入信息已公示")).to_be_visible()
    expect(page.locator("hgroup p")).to_contain_text("列入")

    # A repair application accepted and awaiting the decision of the approver's department.
    page.get_by_role("link", name="信用修复").first.click()
    app = RepairApplication.objects.get(status="accepted", department__division_id="440300")
    page.get_by_role("link", name=app.number).click()
    approve = page.locator("form[data-action=approve]")
    approve.get_by_label("信用修复决定书编号").fill("深市监信修〔2026〕9号")
    approve.get_by_label("已审查证明材料").check()
    approve.get_by_role("button", name="准予修复").click()
    expect(page.get_by_text("已准予修复并更新公示")).to_be_visible()
    expect(page.locator("#status")).to_have_text("已更新公示（办结）")
    assert page.get_by_text("没有执行此操作的权限").count() == 0

    # What the public sees: the listing on the anomaly list, the penalty gone.
    public = _context(browser, live_server)
    public.goto(f"/public/enterprises/{draft.enterprise.uscc}/")
    expect(public.locator("body")).to_contain_text("经营异常名录")
    expect(public.locator("body")).to_contain_text("深市监异字〔2026〕88号")
    public.goto(f"/public/enterprises/{app.enterprise.uscc}/")
    expect(public.locator(f'[data-decision="{app.penalty.decision_no}"]')).to_have_count(0)


def test_an_inspector_enters_a_result_it_is_published_and_the_public_sees_it(
    demo, page, browser, live_server
):
    from xinjian.inspections.models import Target

    _login(page, "demo_inspector1")
    page.goto("/staff/inspections/")
    mine = page.locator("#my-targets tbody tr")
    expect(mine.first).to_contain_text("0/1")
    target = Target.objects.filter(
        assignments__inspector__user__username="demo_inspector1",
        results__isnull=True,
        draw__task__state="in_progress",
    ).first()
    page.locator("#my-targets").get_by_role("link", name=target.enterprise.name).first.click()
    form = page.locator("form").filter(has=page.locator("select[name=result]")).first
    form.locator("select[name=result]").select_option("corrected")
    form.get_by_label("检查发现").fill("进货查验记录不全，已责令当场改正")
    form.get_by_role("button", name="录入").click()
    expect(page.locator(".flash.success")).to_contain_text("已录入")

    # The county's credit office publishes it from the publication backlog.
    office = _context(browser, live_server)
    _login(office, "demo_nanshan")
    office.goto("/public/staff/backlog/")
    row = office.locator("tr", has_text=target.enterprise.name).filter(has_text="发现问题已责令改正")
    row.get_by_role("button", name="公示").click()
    expect(office.get_by_text(target.enterprise.name)).to_have_count(0)

    public = _context(browser, live_server)
    public.goto(f"/public/enterprises/{target.uscc}/")
    expect(public.locator("body")).to_contain_text("发现问题已责令改正")


def test_the_enterprise_applies_for_a_repair_and_replies_to_a_record(demo, page, browser, live_server):
    from xinjian.core.workdays import today
    from xinjian.demo.users import demo_enterprise

    company = demo_enterprise()
    _login(page, "demo_enterprise")
    # Its home page is its to-do list: records to answer, repairs (the small fine's early
    # stop does not apply), each with a link to where it is done.
    page.goto("/public/my/")
    todo = page.locator("#todo")
    expect(todo.locator("tr", has_text="未按规定公示年度报告以外的即时信息")).to_contain_text(
        "不适用提前停止公示"
    )
    expect(todo.locator("tr", has_text="对公示信息提交情况说明").first).to_be_visible()
    todo.locator("tr", has_text="销售不符合保障人体健康安全标准的产品").get_by_role(
        "link", name="去办理"
    ).click()
    expect(page).to_have_url(re.compile(r"/public/my/repair/$"))
    small = page.locator("article.record", has_text="未按规定公示年度报告以外的即时信息")
    expect(small.locator("#not-applicable")).to_contain_text("期满自动停止公示")
    expect(small).not_to_contain_text("最早可申请日")
    card = page.locator("article.record", has_text="销售不符合保障人体健康安全标准的产品")
    expect(card.locator("header")).to_contain_text("深南市监罚")
    card.get_by_role("button", name="申请信用修复").click()
    page.locator("#application_text").fill("已缴清罚款并完成全面整改，申请提前停止公示。")
    page.locator("#proof_description").fill("罚款缴纳凭证；整改报告")
    page.locator("#commitment_confirmed").check()
    page.locator("#submit-application").click()
    expect(page.locator("#status")).to_have_text("已提交")

    # A reply to the published inspection result, shown beside it to the public.
    page.goto("/public/my/records/")
    record = page.locator("article.record", has_text="发现问题已责令改正").first
    record.get_by_label("情况说明").fill("已完善进货查验记录，专人负责台账管理。")
    record.get_by_role("button", name="提交情况说明").click()
    public = _context(browser, live_server)
    public.goto(f"/public/enterprises/{company.uscc}/")
    reply = public.locator("aside.reply")
    expect(reply).to_contain_text("已完善进货查验记录")
    expect(reply).to_contain_text(today().isoformat())


def test_a_partner_searches_checks_a_report_and_a_repairs_progress(demo, page):
    from django.core.cache import caches

    from xinjian.disclosure import search
    from xinjian.repair.models import RepairApplication

    caches["default"].clear()  # rate-limit counters from other tests
    app = RepairApplication.objects.select_related("enterprise").order_by("id").first()
    assert app is not None, "the demo has credit-repair applications"
    company = app.enterprise
    # The rarest two-character fragment of its name that lists it on the first page.
    windows = {company.name[i : i + 2] for i in range(len(company.name) - 1)}
    counted = sorted((search.search_page(w).count, w) for w in windows)
    n, fragment = next((n, w) for n, w in counted if 0 < n <= search.PAGE_SIZE)

    page.goto("/public/")
    page.get_by_role("link", name="企业信用信息查询").first.click()
    page.get_by_label("查询内容").fill(fragment)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("search-count")).to_have_text(f"找到 {n} 家")
    expect(page.locator("ul.results > li")).to_have_count(n)
    page.locator("ul.results").get_by_role("link", name=company.name, exact=True).click()
    expect(page.locator("h2").first).to_contain_text(company.name)
    expect(page.locator("body")).to_contain_text(company.uscc)

    # A credit report of the profile, then its verification as a partner would do it.
    page.get_by_role("button", name="获取信用报告").click()
    number = page.locator('[data-field="number"]')
    expect(number).to_have_text(re.compile(r"^XJ-"))
    code = page.locator('[data-field="code"]')
    expect(code).to_have_text(re.compile(r"^\w{4}-\w{4}-\w{4}$"))
    reported, shown_code = number.inner_text(), code.inner_text()
    page.goto("/public/reports/verify/")
    page.get_by_label("报告编号").fill(reported)
    page.get_by_label("验证码").fill(shown_code)
    page.get_by_role("button", name="核验").click()
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("核验通过")
    expect(verdict).to_contain_text(company.name)

    # The progress of the enterprise's credit-repair application, by number and USCC.
    page.goto("/public/")
    page.get_by_role("link", name="信用修复进度查询").first.click()
    form = page.locator("#repair-lookup")
    form.get_by_label("申请编号").fill(app.number)
    form.get_by_label("统一社会信用代码").fill(company.uscc)
    form.get_by_role("button", name="查询").click()
    expect(page.locator("#repair-status")).to_have_text(app.get_status_display())
    expect(page.locator("#repair-progress tbody tr").first).to_contain_text(app.submitted_on.isoformat())
