"""诚信建设 articles on the one workflow engine: four eyes, history, audit, events,
redaction of the published text, and the public pages."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed
from xinjian.core.models import AuditEntry, Event
from xinjian.integrity import actions
from xinjian.integrity.models import ArticleStatus

pytestmark = pytest.mark.django_db


def _article(writer, **kw):
    fields = {
        "kind": "policy",
        "title": "政策解读：信用修复",
        "summary": "信用修复的条件",
        "body": "联系人张三丰，电话13912345678，身份证440301199001011234。",
        "region_code": "440305",
    }
    fields.update(kw)
    return actions.save_article(None, actor=writer, **fields)


def test_the_writer_cannot_publish_their_own_article(writer, approver):
    a = _article(writer)
    actions.move_article(a, "submit", actor=writer)
    with pytest.raises(NotAllowed) as e:
        actions.move_article(a, "publish", actor=writer)
    assert e.value.code == "four_eyes"
    a.refresh_from_db()
    assert a.status == ArticleStatus.PENDING and a.published_on is None
    actions.move_article(a, "publish", actor=approver)
    a.refresh_from_db()
    assert a.status == ArticleStatus.PUBLISHED and a.approved_by == "approver"
    assert [h.action for h in a.history.order_by("at", "id")] == ["write", "submit", "publish"]
    assert AuditEntry.objects.filter(action="integrity.article.publish").count() == 1
    types = list(Event.objects.filter(type__startswith="integrity.article").values_list("type", flat=True))
    assert types == ["integrity.article_saved", "integrity.article_submitted", "integrity.article_published"]


def test_a_second_publish_changes_nothing(writer, approver):
    a = _article(writer)
    actions.move_article(a, "submit", actor=writer)
    actions.move_article(a, "publish", actor=approver)
    with pytest.raises(InvalidTransition):
        actions.move_article(a, "publish", actor=approver)
    assert Event.objects.filter(type="integrity.article_published").count() == 1


def test_return_and_withdraw_need_a_reason_and_an_edit_needs_a_new_approval(client, writer, approver):
    a = _article(writer)
    actions.move_article(a, "submit", actor=writer)
    with pytest.raises(DomainError) as e:
        actions.move_article(a, "return", actor=approver, reason=" ")
    assert e.value.details[0]["field"] == "reason"
    actions.move_article(a, "return", actor=approver, reason="请补充依据")
    a.refresh_from_db()
    assert a.status == ArticleStatus.DRAFT
    actions.move_article(a, "submit", actor=writer)
    actions.move_article(a, "publish", actor=approver)
    assert client.get(f"/public/integrity/{a.pk}/").status_code == 200
    with pytest.raises(InvalidTransition):
        actions.save_article(a, actor=writer, kind="policy", title="改", body="改", region_code="440305")
    actions.move_article(a, "withdraw", actor=approver, reason="政策已修订")
    assert client.get(f"/public/integrity/{a.pk}/").status_code == 404
    a = actions.save_article(
        a, actor=writer, kind="policy", title="新版", body="新正文", region_code="440305"
    )
    assert a.status == ArticleStatus.DRAFT and a.approved_by == ""


def test_the_published_text_is_redacted_and_unpublished_articles_are_not_public(client, writer, approver):
    a = _article(writer)
    assert client.get(f"/public/integrity/{a.pk}/").status_code == 404  # a draft
    actions.move_article(a, "submit", actor=writer)
    assert client.get(f"/public/integrity/{a.pk}/").status_code == 404  # pending
    assert a.title not in client.get("/public/integrity/").content.decode()
    actions.move_article(a, "publish", actor=approver)
    page = client.get(f"/public/integrity/{a.pk}/").content.decode()
    assert "13912345678" not in page and "440301199001011234" not in page and "张三丰" not in page
    assert "联系人" in page
    listing = client.get("/public/integrity/?kind=policy").content.decode()
    assert a.title in listing
    assert a.title not in client.get("/public/integrity/?kind=article").content.decode()


@pytest.mark.parametrize(
    ("moment", "day"),
    [("2026-04-30T15:59:00Z", dt.date(2026, 4, 30)), ("2026-04-30T16:00:00Z", dt.date(2026, 5, 1))],
)
def test_the_publication_date_is_the_beijing_day(writer, approver, moment, day):
    a = _article(writer)
    actions.move_article(a, "submit", actor=writer)
    with freeze_time(moment):
        actions.move_article(a, "publish", actor=approver)
    a.refresh_from_db()
    assert a.published_on == day


def test_bad_article_input_names_its_field(writer):
    with pytest.raises(DomainError) as e:
        actions.save_article(None, actor=writer, kind="gossip", title="", body="x", region_code="440305")
    assert {d["field"] for d in e.value.details} == {"kind", "title"}


def test_the_staff_pages_take_the_steps_through_the_one_workflow_view(client, writer, approver):
    client.force_login(writer)
    r = client.post(
        "/staff/integrity/new/",
        {"kind": "article", "title": "诚信经营倡议", "summary": "", "body": "守法诚信，从我做起。"},
    )
    assert r.status_code == 302
    from xinjian.integrity.models import Article

    a = Article.objects.get(title="诚信经营倡议")
    page = client.get(f"/staff/integrity/{a.pk}/").content.decode()
    assert "提交审核" in page
    client.post(f"/staff/integrity/{a.pk}/submit/")
    client.post(f"/staff/integrity/{a.pk}/publish/")  # the writer: refused (four eyes)
    a.refresh_from_db()
    assert a.status == ArticleStatus.PENDING
    client.force_login(approver)
    client.post(f"/staff/integrity/{a.pk}/publish/")
    a.refresh_from_db()
    assert a.status == ArticleStatus.PUBLISHED


def test_who_may_use_the_editor(client, enterprise_factory, staff_factory):
    assert client.get("/staff/integrity/").status_code == 302  # to the login
    inspector = staff_factory("440305", ["inspector"], "insp")
    client.force_login(inspector)
    assert client.get("/staff/integrity/").status_code == 403
    assert client.get("/public/integrity/").status_code == 200


def test_the_workbench_lists_articles_awaiting_someone_elses_approval(client, writer, approver):
    a = _article(writer, title="待审核的政策解读")
    actions.move_article(a, "submit", actor=writer)
    client.force_login(approver)
    assert "待审核的政策解读" in client.get("/staff/").content.decode()
    client.force_login(writer)  # not the writer's own: four eyes
    assert "待审核的政策解读" not in client.get("/staff/").content.decode()
