"""An officer creates a task, publishes it, draws, and opens the assignment list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_creates_publishes_draws_and_opens_the_assignment_list(
    page, staff_factory, food_enterprises, inspector_factory
):
    from xinjian.inspections import actions
    from xinjian.registry.models import Department

    staff_factory("440305", ["food_supervisor"], "zhang")
    food_enterprises(6)
    for _ in range(3):
        inspector_factory()
    actions.create_plan(
        actor="test",
        department=Department.objects.get(division_id="440305"),
        year=2026,
        title="南山区2026年度抽查计划",
    )

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("zhang")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")

    page.goto("/staff/inspections/")
    page.get_by_role("button", name="新建抽查任务").click()
    page.get_by_label("任务名称").fill("南山区食品生产企业双随机抽查")
    page.get_by_label("年度计划").select_option(label="南山区2026年度抽查计划")
    page.get_by_label("食品生产企业", exact=True).check()
    page.get_by_label(re.compile("SC-01")).check()
    page.get_by_label("B类比例").fill("0.5")
    page.get_by_role("button", name="保存为草稿").click()
    page.get_by_text("已创建（草稿）").wait_for()

    page.get_by_role("button", name="公布任务").click()
    page.get_by_text("种子承诺值已公开").wait_for()
    page.get_by_role("button", name="抽取检查对象").click()
    page.get_by_text("已完成抽取并分派检查人员").wait_for()

    page.get_by_role("link", name="检查对象与人员分派").click()
    rows = page.locator("#assignments tbody tr")
    expect(rows).to_have_count(3)  # ceil(0.5 × 6)
    # two inspectors per target, their names joined with 、 (issue 14: they ran together)
    expect(rows.first.locator("td.inspectors")).to_have_text(re.compile(r"^[^、]+、[^、]+$"))
