"""Staff and public pages: who may do what, and that each page shows what it is for."""

from __future__ import annotations

import datetime as dt

import pytest

from xinjian.core.errors import NotAllowed
from xinjian.inspections import actions
from xinjian.inspections.models import InspectionItem, Inspector, Plan, TargetResult, Task, TaskState

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn_task(food_enterprises, inspector_factory, risk_classes, supervisor, food_task):
    food_enterprises(10)
    inspector_factory(), inspector_factory(), inspector_factory()
    task = food_task(ratios={"A": "0.5", "B": "0.5", "C": "0.5", "D": "0.5"})
    actions.publish_task(task, actor=supervisor)
    actions.draw_task(task, actor=supervisor)
    return task


def test_supervisor_creates_publishes_and_draws_through_the_pages(
    client, supervisor, food_enterprises, inspector_factory, risk_classes
):
    food_enterprises(5)
    inspector_factory(), inspector_factory()
    client.force_login(supervisor)
    client.post("/staff/inspections/plans/new/", {"year": "2026", "title": "2026年度计划"})
    plan = Plan.objects.get()
    item = InspectionItem.objects.get(code="SC-01")
    r = client.post(
        "/staff/inspections/tasks/new/",
        {
            "plan": plan.pk,
            "title": "南山区食品生产抽查",
            "region_code": "440305",
            "key_area_types": ["food_production"],
            "items": [item.pk],
            "ratio_A": "0.01",
            "ratio_B": "0.4",
            "ratio_C": "0.1",
            "ratio_D": "0.3",
            "starts_on": "2026-03-01",
            "ends_on": "2026-10-31",
            "joint_departments": "南山区卫生健康局",
        },
    )
    task = Task.objects.get()
    assert r.status_code == 302 and task.joint_departments == ["南山区卫生健康局"]
    client.post(f"/staff/inspections/tasks/{task.pk}/publish/")
    client.post(f"/staff/inspections/tasks/{task.pk}/draw/")
    task.refresh_from_db()
    assert task.state == TaskState.DRAWN
    page = client.get(f"/staff/inspections/tasks/{task.pk}/").content.decode()
    assert task.commitment in page and "检查对象与人员分派" in page
    listing = client.get(
        f"/staff/inspections/draws/{task.current_draw().draw_id}/assignments/"
    ).content.decode()
    assert all(t.uscc in listing for t in task.current_draw().targets.all())


def test_a_credit_officer_cannot_manage_tasks(client, county_officer, drawn_task):
    client.force_login(county_officer)
    assert client.get("/staff/inspections/").status_code == 200
    assert client.get("/staff/inspections/tasks/new/").status_code == 403
    assert client.post(f"/staff/inspections/tasks/{drawn_task.pk}/start/").status_code == 403


def test_tasks_outside_the_jurisdiction_are_not_found(client, staff_factory, drawn_task):
    futian = staff_factory("440304", ["food_supervisor"])
    client.force_login(futian)
    assert client.get(f"/staff/inspections/tasks/{drawn_task.pk}/").status_code == 404
    assert (
        client.get(f"/staff/inspections/draws/{drawn_task.current_draw().draw_id}/assignments/").status_code
        == 404
    )


def test_inspector_enters_a_result_through_the_page(client, inspector, supervisor, drawn_task):
    actions.start_inspections(drawn_task, actor=supervisor)
    target = drawn_task.current_draw().targets.first()
    # The login is the directory inspector the draw assigned (issue 14).
    Inspector.objects.filter(pk=target.assignments.first().inspector_id).update(user=inspector)
    client.force_login(inspector)
    assert target.enterprise.name in client.get("/staff/inspections/").content.decode(), "my targets"
    r = client.post(
        f"/staff/inspections/targets/{target.pk}/results/",
        {
            "item": InspectionItem.objects.get(code="SC-01").pk,
            "result": "corrected",
            "follow_up": "rectification",
            "inspected_on": "2026-03-10",
            "findings": "台账不全",
        },
    )
    assert r.status_code == 302
    page = client.get(f"/staff/inspections/targets/{target.pk}/results/").content.decode()
    assert "发现问题已责令改正" in page and "公示期限" in page


def test_a_refused_result_names_the_field_by_its_label_not_its_key(client, inspector, supervisor, drawn_task):
    """Issue 14: "检查日期：检查日期不能晚于今天", never "inspected_on: …"."""
    actions.start_inspections(drawn_task, actor=supervisor)
    target = drawn_task.current_draw().targets.first()
    Inspector.objects.filter(pk=target.assignments.first().inspector_id).update(user=inspector)
    client.force_login(inspector)
    r = client.post(
        f"/staff/inspections/targets/{target.pk}/results/",
        {
            "item": InspectionItem.objects.get(code="SC-01").pk,
            "result": "corrected",
            "follow_up": "rectification",
            "inspected_on": "2099-03-10",
        },
        follow=True,
    )
    from tests.crawl import parse

    text, _links = parse(r.content.decode())  # what the page shows, not its markup
    assert "检查日期：检查日期不能晚于今天" in text
    assert "inspected_on" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/staff/inspections/items/",
        "/staff/inspections/inspectors/",
        "/staff/inspections/rules/",
        "/staff/inspections/reports/",
        "/staff/inspections/results/overdue/",
    ],
)
def test_staff_reference_and_report_pages_render(client, supervisor, drawn_task, url):
    client.force_login(supervisor)
    r = client.get(url)
    assert r.status_code == 200


def test_rules_page_states_the_rule_for_enterprises_without_a_class(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/staff/inspections/rules/").content.decode()
    assert "未进行信用风险分类的企业按“一般（B类）”分层抽取" in page and "0.3" in page


def test_public_pages_show_tasks_and_draws_but_never_a_risk_class(client, drawn_task):
    index = client.get("/public/inspections/").content.decode()
    assert drawn_task.code in index
    task_page = client.get(f"/public/inspections/tasks/{drawn_task.code}/").content.decode()
    assert drawn_task.commitment in task_page
    draw = drawn_task.current_draw()
    draw_page = client.get(f"/public/inspections/draws/{draw.draw_id}/").content.decode()
    assert draw.seed in draw_page  # one ratio for every class: one stratum, fully public
    assert "风险分类</th>" not in draw_page and "A类" not in draw_page


def test_draft_tasks_are_not_public(client, supervisor, food_task):
    task = food_task()
    assert client.get(f"/public/inspections/tasks/{task.code}/").status_code == 404


def test_a_domain_office_maintains_the_item_lists(client, supervisor):
    from xinjian.core.models import AuditEntry
    from xinjian.inspections.models import KeySupervisionItem

    client.force_login(supervisor)
    client.post(
        "/staff/inspections/items/save/",
        {
            "list": "item",
            "code": "SC-09",
            "name": "食品生产企业标签标识检查",
            "legal_basis": "《食品安全法》第六十七条",
            "office": "food",
            "method": "onsite",
            "qualification": "food",
            "target_population": "食品生产企业",
            "key_area_types": ["food_production"],
            "active": "on",
        },
    )
    item = InspectionItem.objects.get(code="SC-09")
    assert item.key_area_types == ["food_production"] and not item.is_key
    client.post(
        "/staff/inspections/items/save/",
        {
            "list": "key",
            "code": "ZD-X",
            "name": "示例",
            "supervisor": "市局",
            "target": "企业",
            "measures": "全覆盖",
            "legal_basis": "依据",
            "active": "on",
        },
    )
    assert KeySupervisionItem.objects.filter(code="ZD-X").exists()
    assert (
        AuditEntry.objects.filter(action__in=["inspections.save_item", "inspections.save_key_item"]).count()
        == 2
    )
    r = client.post("/staff/inspections/items/save/", {"list": "item", "code": "SC-10", "office": "nope"})
    assert r.status_code == 302 and not InspectionItem.objects.filter(code="SC-10").exists()


def test_an_inspector_not_assigned_to_the_target_cannot_enter_its_result(
    client, staff_factory, inspector_factory, supervisor, drawn_task
):
    """Issue 14: the action refuses, not only the page (which offers no form)."""
    actions.start_inspections(drawn_task, actor=supervisor)
    target = drawn_task.current_draw().targets.first()
    assigned = set(target.assignments.values_list("inspector_id", flat=True))
    other = staff_factory("440305", ["inspector"], "not_assigned")
    outsider = inspector_factory(("food",), user=other)
    assert outsider.pk not in assigned
    client.force_login(other)
    page = client.get(f"/staff/inspections/targets/{target.pk}/results/").content.decode()
    assert 'id="not-assigned"' in page and 'name="result"' not in page
    item = InspectionItem.objects.get(code="SC-01")
    r = client.post(
        f"/staff/inspections/targets/{target.pk}/results/",
        {"item": item.pk, "result": "no_problem", "follow_up": "none", "inspected_on": "2026-03-10"},
        follow=True,
    )
    assert "只有分派到该检查对象的执法检查人员可以录入检查结果" in r.content.decode()
    assert not TargetResult.objects.filter(target=target).exists()
    with pytest.raises(NotAllowed) as e:
        actions.record_result(
            target, item, actor=other, result="no_problem", inspected_on=dt.date(2026, 3, 10)
        )
    assert e.value.code == "not_assigned"
