"""Pages and the API: the enterprise applies for its own records only, with uploads
checked; staff see their jurisdiction (another county is 404) and act through the
detail page; the API answers authorised clients within their region."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from xinjian.repair import actions
from xinjian.repair.models import RepairApplication, RepairDocument

D = dt.date
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOW = "2025-07-15 10:00:00+08:00"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def own_penalty(own_enterprise, penalty_factory):
    return penalty_factory(own_enterprise, published_on=D(2025, 1, 15), decision_no="深南市监罚〔2025〕777号")


def _post_apply(client, penalty, **extra):
    data = {
        "application_text": "已缴清罚款并完成整改，申请提前停止公示。",
        "proof_description": "罚款缴纳凭证；整改报告",
        "commitment_confirmed": "on",
        "documents": [SimpleUploadedFile("缴款凭证.pdf", PDF, content_type="application/pdf")],
    }
    data.update(extra)
    return client.post(f"/public/my/repair/apply/penalty_publication/{penalty.pk}/", data)


@freeze_time(NOW)
def test_the_enterprise_applies_with_a_document_and_follows_its_application(
    client, enterprise_user, own_penalty
):
    client.force_login(enterprise_user)
    form = client.get(f"/public/my/repair/apply/penalty_publication/{own_penalty.pk}/")
    assert form.status_code == 200 and "郑重承诺" in form.content.decode()
    response = _post_apply(client, own_penalty)
    app = RepairApplication.objects.get()
    assert response.status_code == 302 and response.url == f"/public/my/repair/{app.pk}/"
    doc = RepairDocument.objects.get()
    assert doc.content_type == "application/pdf" and doc.original_name == "缴款凭证.pdf"
    assert not doc.stored_name.startswith("缴款")  # stored under a random name
    page = client.get(response.url).content.decode()
    assert app.number in page and "自2025年7月15日起算2个工作日" in page
    download = client.get(f"/public/my/repair/{app.pk}/documents/{doc.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"


@freeze_time(NOW)
def test_a_file_that_is_not_pdf_or_image_is_refused_and_nothing_is_saved(
    client, enterprise_user, own_penalty
):
    client.force_login(enterprise_user)
    fake = SimpleUploadedFile("凭证.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _post_apply(client, own_penalty, documents=[fake])
    assert response.status_code == 200 and "不是PDF、JPG或PNG文件" in response.content.decode()
    assert not RepairApplication.objects.exists() and not RepairDocument.objects.exists()


@freeze_time(NOW)
def test_an_oversized_file_is_refused(client, enterprise_user, own_penalty):
    from xinjian.repair.models import RepairRuleSet

    RepairRuleSet.objects.update(max_document_mb=1)
    client.force_login(enterprise_user)
    big = SimpleUploadedFile("大.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    response = _post_apply(client, own_penalty, documents=[big])
    assert "超过1MB" in response.content.decode() and not RepairApplication.objects.exists()


@freeze_time(NOW)
def test_an_enterprise_user_cannot_reach_another_enterprises_records_or_applications(
    client, enterprise_user, enterprise_factory, penalty_factory, apply_for
):
    other = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    their_app = apply_for("penalty_publication", other, D(2025, 7, 15))
    client.force_login(enterprise_user)
    assert client.get(f"/public/my/repair/apply/penalty_publication/{other.pk}/").status_code == 404
    assert _post_apply(client, other).status_code == 404
    assert client.get(f"/public/my/repair/{their_app.pk}/").status_code == 404


def test_staff_and_anonymous_users_do_not_reach_the_enterprise_pages(client, county_officer):
    assert client.get("/public/my/repair/").status_code == 302  # to the login page
    client.force_login(county_officer)
    assert client.get("/public/my/repair/").status_code == 403


@freeze_time(NOW)
def test_staff_queue_detail_and_actions_within_jurisdiction(
    client, nanshan_head, baoan_head, own_penalty, apply_for
):
    app = apply_for("penalty_publication", own_penalty, D(2025, 7, 15))
    client.force_login(nanshan_head)
    queue = client.get("/staff/repair/").content.decode()
    assert app.number in queue and "2025-07-17" in queue and "自2025年7月15日起算2个工作日" in queue
    detail = client.get(f"/staff/repair/{app.pk}/").content.decode()
    # The steps the person may take, from the one workflow table (issue 14).
    assert "公示期已满最短期限" in detail and 'data-action="accept"' in detail
    client.post(f"/staff/workflow/repair.application/{app.pk}/accept/")
    client.post(
        f"/staff/workflow/repair.application/{app.pk}/approve/",
        {"decision_no": "深南信修〔2025〕11号", "confirmed": "on"},
    )
    app.refresh_from_db()
    assert app.status == "done"
    enterprise_page = client.get(f"/staff/enterprises/{app.enterprise.uscc}/").content.decode()
    assert app.number in enterprise_page
    client.force_login(baoan_head)
    assert client.get(f"/staff/repair/{app.pk}/").status_code == 404
    assert client.post(f"/staff/repair/{app.pk}/action/", {"action": "revoke"}).status_code == 404
    assert app.number not in client.get("/staff/repair/?status=all").content.decode()


@freeze_time(NOW)
def test_an_action_the_user_may_not_take_shows_an_error_and_changes_nothing(
    client, county_officer, own_penalty, apply_for
):
    app = apply_for("penalty_publication", own_penalty, D(2025, 7, 15))
    actions.accept(app, actor=county_officer)
    client.force_login(county_officer)
    response = client.post(
        f"/staff/repair/{app.pk}/action/",
        {"action": "approve", "decision_no": "X", "confirmed": "on"},
        follow=True,
    )
    assert "没有执行此操作的权限" in response.content.decode()
    app.refresh_from_db()
    assert app.status == "accepted"


def test_the_rules_page_shows_the_rules_in_force(client, county_officer):
    client.force_login(county_officer)
    page = client.get("/staff/repair/rules/").content.decode()
    assert "6个月" in page and "12个月" in page and "（假定）" in page and "郑重承诺" in page


@freeze_time(NOW)
def test_the_api_lists_an_enterprises_repairs_for_a_client_with_the_share_scope(
    client, api_client_factory, own_penalty, apply_for
):
    app = apply_for("penalty_publication", own_penalty, D(2025, 7, 15))
    uscc = app.enterprise.uscc
    _, token = api_client_factory(scopes=["share"])
    body = client.get(f"/api/v1/enterprises/{uscc}/repairs", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["uscc"] == uscc
    assert body["results"][0]["number"] == app.number
    assert body["results"][0]["kind"] == "penalty_publication"
    assert (
        body["results"][0]["target_id"] == own_penalty.pk and body["results"][0]["accept_due"] == "2025-07-17"
    )
    _, wrong = api_client_factory(scopes=["risk"])
    denied = client.get(f"/api/v1/enterprises/{uscc}/repairs", HTTP_AUTHORIZATION=f"Bearer {wrong}")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "missing_scope"
    assert client.get(f"/api/v1/enterprises/{uscc}/repairs").status_code == 401
    _, elsewhere = api_client_factory(scopes=["share"], region_code="440104")
    outside = client.get(f"/api/v1/enterprises/{uscc}/repairs", HTTP_AUTHORIZATION=f"Bearer {elsewhere}")
    assert outside.status_code == 404 and outside.json()["error"]["code"] == "unknown_enterprise"


def test_an_administrator_may_add_a_rule_version_but_not_edit_one(client, db):
    from django.contrib.auth.models import User

    from xinjian.repair.models import RepairRuleSet

    admin_user = User.objects.create_superuser("root", password="correct-horse-9")
    client.force_login(admin_user)
    assert client.get("/admin/repair/repairruleset/add/").status_code == 200
    existing = RepairRuleSet.objects.get()
    page = client.get(f"/admin/repair/repairruleset/{existing.pk}/change/")
    assert page.status_code == 200 and b'name="penalty_min_months"' not in page.content  # read-only view
    assert client.get("/admin/repair/repairapplication/add/").status_code == 403


@freeze_time(NOW)
def test_nul_characters_and_unknown_steps_are_bad_input_not_errors(
    client, enterprise_user, own_penalty, nanshan_head, apply_for
):
    client.force_login(enterprise_user)
    # A NUL in any form field is refused by the middleware before the view (issue 13).
    response = _post_apply(client, own_penalty, application_text="已履行全部义务\x00申请修复。", documents=[])
    assert response.status_code == 400
    assert not RepairApplication.objects.exists()
    assert client.get("/public/my/repair/apply/nonsense/1/").status_code == 404
    app = apply_for("penalty_publication", own_penalty, D(2025, 7, 15))
    client.force_login(nanshan_head)
    bad = client.post(f"/staff/repair/{app.pk}/action/", {"action": "reject", "reasons": "x\x00"})
    assert bad.status_code == 400
    unknown = client.post(f"/staff/repair/{app.pk}/action/", {"action": "drop_table"}, follow=True)
    assert "未知操作" in unknown.content.decode()
    app.refresh_from_db()
    assert app.status == "submitted"


@pytest.fixture
def approver_only(staff_factory):
    """The head who signs decisions and holds nothing else (demo_approver's role)."""
    return staff_factory("440305", ["approver"], "nanshan_signer")


@freeze_time(NOW)
def test_the_approver_approves_from_the_page_and_the_penalty_leaves_public_view(
    client, county_officer, approver_only, own_penalty, apply_for
):
    """Issue 14: 准予修复 is one action — the decision and the publication change it
    implies — for a person who may approve but not manage repairs."""
    from xinjian.disclosure import policy

    app = apply_for("penalty_publication", own_penalty, D(2025, 7, 15))
    actions.accept(app, actor=county_officer)
    client.force_login(approver_only)
    nav = client.get("/staff/").content.decode()
    assert 'href="/staff/repair/"' in nav, "the approver's navigation has 信用修复"
    page = client.get(f"/staff/repair/{app.pk}/").content.decode()
    assert 'data-action="approve"' in page and 'data-action="refuse"' in page
    assert 'data-action="accept"' not in page and 'data-action="update_publication"' not in page
    response = client.post(
        f"/staff/workflow/repair.application/{app.pk}/approve/",
        {"decision_no": "深南信修〔2025〕12号", "confirmed": "on"},
        follow=True,
    )
    text = response.content.decode()
    assert "没有执行此操作的权限" not in text and "已准予修复并更新公示" in text
    app.refresh_from_db()
    own_penalty.refresh_from_db()
    assert app.status == "done" and app.decision_no == "深南信修〔2025〕12号"
    assert [h.action for h in app.history.all()][-2:] == ["approve", "update_publication"]
    assert own_penalty.publication_stopped_on == D(2025, 7, 15)
    assert not policy.penalty_visible(own_penalty, D(2025, 7, 15))


@freeze_time(NOW)
def test_an_approval_that_cannot_be_completed_changes_nothing_and_says_why(
    client, county_officer, approver_only, own_penalty, apply_for
):
    app = apply_for("penalty_publication", own_penalty, D(2025, 7, 15))
    actions.accept(app, actor=county_officer)
    client.force_login(approver_only)
    response = client.post(
        f"/staff/workflow/repair.application/{app.pk}/approve/",
        {"decision_no": "深南信修〔2025〕13号"},  # materials not confirmed
        follow=True,
    )
    assert "须确认已核实履行义务" in response.content.decode()
    app.refresh_from_db()
    own_penalty.refresh_from_db()
    assert app.status == "accepted" and app.decision_no == ""
    assert own_penalty.publication_stopped_on is None


@freeze_time(NOW)
def test_repair_cards_name_the_record_and_a_small_fine_says_early_stop_does_not_apply(
    client, enterprise_user, own_enterprise, penalty_factory
):
    """Issue 14: the card names its record; for a lower fine the page says early stop does
    not apply and when the record leaves public view — no "earliest application day"."""
    penalty_factory(own_enterprise, published_on=D(2025, 1, 15), decision_no="深南市监罚〔2025〕801号")
    penalty_factory(
        own_enterprise,
        published_on=D(2025, 6, 20),
        decided_on=D(2025, 6, 16),
        decision_no="深南市监罚〔2025〕802号",
        penalty_types=["fine"],
        fine_amount=2000,
        violation="未按规定公示即时信息",
    )
    client.force_login(enterprise_user)
    html = client.get("/public/my/repair/").content.decode()
    cards = {
        no: html.split(f"· {no}", 1)[1].split("</article>")[0]
        for no in ("深南市监罚〔2025〕801号", "深南市监罚〔2025〕802号")
    }
    assert "行政处罚信息提前停止公示</strong> · 深南市监罚〔2025〕801号 生产不符合标准的产品" in html
    small = cards["深南市监罚〔2025〕802号"]
    assert "不适用提前停止公示" in small and "该信息公示至2025年9月20日（含当日）" in small
    assert "最早可申请日" not in small and "申请信用修复</a>" not in small
    assert "最早可申请日" in cards["深南市监罚〔2025〕801号"]


def test_an_oversize_step_input_is_named_and_changes_nothing(client, nanshan_head, own_penalty, apply_for):
    """Issue 13 §7: the staff steps read their input through a form."""
    from django.contrib.messages import get_messages

    app = apply_for("penalty_publication", own_penalty, D(2025, 7, 15))
    client.force_login(nanshan_head)
    response = client.post(f"/staff/repair/{app.pk}/action/", {"action": "reject", "reasons": "理" * 5001})
    assert response.status_code == 302
    assert any(str(m).startswith("理由：") for m in get_messages(response.wsgi_request))
    app.refresh_from_db()
    assert app.status == "submitted"


@freeze_time(NOW)
def test_steps_show_only_to_the_deciding_departments_people(
    client, county_officer, approver_only, staff_factory, own_penalty, apply_for
):
    """Issue 14: an approver of another department (here the province, which sees the
    application) is not offered 准予修复 it cannot complete, nor is it on its workbench;
    the deciding department's approver is. The action still refuses and says why."""
    app = apply_for("penalty_publication", own_penalty, D(2025, 7, 15))
    actions.accept(app, actor=county_officer)
    province_approver = staff_factory("440000", ["approver"], "gd_approver")
    client.force_login(approver_only)
    page = client.get(f"/staff/repair/{app.pk}/").content.decode()
    assert 'data-action="approve"' in page and 'data-action="refuse"' in page
    assert app.number in client.get("/staff/").content.decode()
    client.force_login(province_approver)
    page = client.get(f"/staff/repair/{app.pk}/")
    assert page.status_code == 200 and app.number in page.content.decode()
    assert 'data-action="approve"' not in page.content.decode()
    assert 'data-action="refuse"' not in page.content.decode()
    assert app.number not in client.get("/staff/").content.decode()
    response = client.post(
        f"/staff/workflow/repair.application/{app.pk}/approve/",
        {"decision_no": "粤信修〔2025〕1号", "confirmed": "on"},
        follow=True,
    )
    assert "信用修复由作出原决定的" in response.content.decode()
    app.refresh_from_db()
    assert app.status == "accepted"


@freeze_time(NOW)
def test_the_enterprise_home_lists_its_to_dos_with_deadlines_and_links(
    client, enterprise_user, own_enterprise, own_penalty, penalty_factory, untrue_finding
):
    """Issue 14: `/public/my/` is the enterprise's to-do list — records it can still
    answer (until they leave public view), repairs it may apply for (now, or from the
    earliest day), rectifications due — each with its deadline and a link."""
    from xinjian.commitments.models import Consequence
    from xinjian.disclosure import policy

    old = penalty_factory(own_enterprise, published_on=D(2024, 1, 15), decision_no="深南市监罚〔2024〕666号")
    untrue_finding(on=D(2025, 7, 1), enterprise=own_enterprise)
    rectify = Consequence.objects.get(verification__enterprise=own_enterprise, kind="rectify")
    client.force_login(enterprise_user)
    page = client.get("/public/my/").content.decode()
    todo = page[page.index('id="todo"') : page.index("</section>")]
    assert "对公示信息提交情况说明" in todo and 'href="/public/my/records/"' in todo
    assert policy.penalty_disclosed_until(own_penalty).isoformat() in todo
    assert "申请信用修复" in todo and 'href="/public/my/repair/"' in todo
    assert "现在可以申请" in todo  # the older fine has served its minimum period
    assert "最早可申请日 2026-01-15" in todo  # the recent one not yet
    assert "承诺不实限期整改" in todo and 'href="/public/my/commitments/"' in todo
    assert rectify.deadline().due.isoformat() in todo

    # Answered and applied for: those items leave the list.
    client.post(
        "/public/my/records/", {"record_kind": "penalty", "record_id": own_penalty.pk, "text": "已整改完毕。"}
    )
    client.post(
        "/public/my/records/", {"record_kind": "penalty", "record_id": old.pk, "text": "已整改完毕。"}
    )
    _post_apply(client, old)
    todo = client.get("/public/my/").content.decode()
    todo = todo[todo.index('id="todo"') : todo.index("</section>")]
    assert "对公示信息提交情况说明" not in todo
    assert "现在可以申请" not in todo and "最早可申请日" in todo
