"""The application as a state machine (domain.md §12): legal and illegal moves, the
stricter path's on-site verification, the clocks, the effects of approval through the
lists and disclosure actions, the `repair.approved` event, revocation, jurisdiction."""

from __future__ import annotations

import datetime as dt

import pytest

from xinjian.core.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from xinjian.core.events import EventType
from xinjian.core.models import AuditEntry, Event
from xinjian.repair import actions
from xinjian.repair.models import RepairApplication, RepairStatus

D = dt.date
S = RepairStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def penalty_app(enterprise_factory, penalty_factory, apply_for):
    """A product-quality penalty published 2025-01-15; applied for on 2025-07-15 (a Tuesday)."""
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    return apply_for("penalty_publication", p, D(2025, 7, 15))


def test_submission_records_materials_deadline_history_and_audit(penalty_app):
    app = penalty_app
    assert app.status == S.SUBMITTED and app.number.startswith("XF2025")
    assert app.accept_due == D(2025, 7, 17)  # 2 working days
    assert "守信" not in app.application_text and "郑重承诺" in app.commitment_text
    assert app.department.division_id == "440305"  # the department that decided the penalty
    assert app.eligibility["eligible"] is True
    assert [h.action for h in app.history.all()] == ["submit"]
    assert AuditEntry.objects.filter(action="repair.submit", object_id=str(app.pk)).exists()


def test_an_ineligible_or_unconfirmed_application_is_refused_with_field_details(
    enterprise_factory, penalty_factory, apply_for
):
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    with pytest.raises(DomainError) as too_early:
        apply_for("penalty_publication", p, D(2025, 7, 14))
    assert too_early.value.code == "not_eligible"
    assert too_early.value.details[0]["field"] == "min_period"
    with pytest.raises(DomainError) as unconfirmed:
        apply_for("penalty_publication", p, D(2025, 7, 15), commitment_confirmed=False)
    assert unconfirmed.value.details[0]["field"] == "commitment_confirmed"
    with pytest.raises(DomainError) as short:
        apply_for("penalty_publication", p, D(2025, 7, 15), application_text="短")
    assert short.value.details[0]["field"] == "application_text"
    assert not RepairApplication.objects.exists()


def test_a_bad_file_refuses_the_application_and_leaves_no_file_behind(
    enterprise_factory, penalty_factory, apply_for, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinjian.repair.documents import storage_dir

    settings.VAR_DIR = tmp_path
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    good = SimpleUploadedFile("缴款凭证.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    bad = SimpleUploadedFile("说明.txt", b"just text")
    with pytest.raises(DomainError) as err:
        apply_for("penalty_publication", p, D(2025, 7, 15), uploads=[good, bad])
    assert err.value.code == "file_type" and err.value.details[0]["field"] == "documents"
    assert not RepairApplication.objects.exists() and list(storage_dir().iterdir()) == []
    good.seek(0)
    app = apply_for("penalty_publication", p, D(2025, 7, 15), uploads=[good])
    assert [d.original_name for d in app.documents.all()] == ["缴款凭证.pdf"]
    assert len(list(storage_dir().iterdir())) == 1


def test_one_open_application_per_record(penalty_app, apply_for):
    with pytest.raises(Conflict):
        apply_for("penalty_publication", penalty_app.penalty, D(2025, 7, 16))


def test_an_enterprise_applies_only_for_its_own_records(enterprise_factory, penalty_factory):
    other = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    with pytest.raises(DomainError) as e:
        actions.apply(
            enterprise_factory(),
            actor="qiye",
            kind="penalty_publication",
            target_id=other.pk,
            application_text="申请信用修复，已履行全部义务。",
            proof_description="缴款凭证",
            commitment_confirmed=True,
            on=D(2025, 7, 15),
        )
    assert e.value.code == "not_own_record"


def test_legal_path_to_done_and_illegal_moves(penalty_app, nanshan_head):
    app = penalty_app
    with pytest.raises(InvalidTransition):
        actions.approve(app, actor=nanshan_head, decision_no="X", confirmed=True, on=D(2025, 7, 16))
    with pytest.raises(InvalidTransition):
        actions.update_publication(app, actor=nanshan_head, on=D(2025, 7, 16))
    actions.accept(app, actor=nanshan_head, on=D(2025, 7, 16))
    assert app.decide_due == D(2025, 8, 6)  # 15 working days from acceptance
    with pytest.raises(InvalidTransition):
        actions.accept(app, actor=nanshan_head, on=D(2025, 7, 16))
    with pytest.raises(DomainError):  # the materials-based conditions must be confirmed
        actions.approve(
            app, actor=nanshan_head, decision_no="深南信修〔2025〕1号", confirmed=False, on=D(2025, 7, 20)
        )
    actions.approve(
        app, actor=nanshan_head, decision_no="深南信修〔2025〕1号", confirmed=True, on=D(2025, 7, 21)
    )
    assert app.publication_due == D(2025, 7, 24)  # 3 working days
    actions.update_publication(app, actor=nanshan_head, on=D(2025, 7, 22))
    assert app.status == S.DONE
    with pytest.raises(InvalidTransition):
        actions.refuse(app, actor=nanshan_head, reasons="太晚", on=D(2025, 7, 23))
    assert [h.action for h in app.history.all()] == ["submit", "accept", "approve", "update_publication"]


def test_rejection_and_refusal_state_reasons(
    penalty_app, nanshan_head, enterprise_factory, penalty_factory, apply_for
):
    with pytest.raises(DomainError):
        actions.reject(penalty_app, actor=nanshan_head, reasons=" ")
    actions.reject(penalty_app, actor=nanshan_head, reasons="材料不全", on=D(2025, 7, 16))
    assert penalty_app.status == S.REJECTED and penalty_app.reasons == "材料不全"
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    app = apply_for("penalty_publication", p, D(2025, 7, 15))
    actions.accept(app, actor=nanshan_head, on=D(2025, 7, 16))
    actions.refuse(app, actor=nanshan_head, reasons="未消除不良影响", on=D(2025, 7, 20))
    assert app.status == S.REFUSED and app.history.last().reason == "未消除不良影响"


def test_the_stricter_path_needs_an_onsite_verification_before_approval(
    enterprise_factory, penalty_factory, apply_for, nanshan_head
):
    e = enterprise_factory()
    penalty_factory(e, published_on=D(2023, 6, 1), decided_on=D(2023, 5, 20))
    p = penalty_factory(e, published_on=D(2025, 1, 15))
    app = apply_for("penalty_publication", p, D(2026, 1, 15))
    assert app.strict and app.onsite_required
    actions.accept(app, actor=nanshan_head, on=D(2026, 1, 16))
    with pytest.raises(InvalidTransition) as e1:
        actions.approve(
            app, actor=nanshan_head, decision_no="深南信修〔2026〕2号", confirmed=True, on=D(2026, 1, 20)
        )
    assert e1.value.code == "onsite_required"
    actions.verify(app, actor=nanshan_head, note="现场核查：整改到位", on=D(2026, 1, 19))
    actions.approve(
        app, actor=nanshan_head, decision_no="深南信修〔2026〕2号", confirmed=True, on=D(2026, 1, 20)
    )
    assert app.status == S.APPROVED


def test_approval_stops_publication_and_the_public_profile_no_longer_shows_the_penalty(
    client, penalty_app, nanshan_head
):
    from freezegun import freeze_time

    from xinjian.disclosure import queries

    app = penalty_app
    p = app.penalty
    with freeze_time("2025-07-22 10:00:00+08:00"):
        assert p.decision_no in [
            x["decision_no"] for x in queries.profile(app.enterprise, use_cache=False)["penalties"]
        ]
        actions.accept(app, actor=nanshan_head)
        actions.approve(app, actor=nanshan_head, decision_no="深南信修〔2025〕3号", confirmed=True)
        actions.update_publication(app, actor=nanshan_head)
        p.refresh_from_db()
        assert p.publication_stopped_on == D(2025, 7, 22)
        assert queries.profile(app.enterprise, use_cache=False)["penalties"] == []
        page = client.get(f"/public/enterprises/{app.enterprise.uscc}/").content.decode()
        assert p.decision_no not in page


def test_approval_emits_repair_approved_with_the_kind_and_target(penalty_app, nanshan_head):
    actions.accept(penalty_app, actor=nanshan_head, on=D(2025, 7, 16))
    actions.approve(
        penalty_app, actor=nanshan_head, decision_no="深南信修〔2025〕4号", confirmed=True, on=D(2025, 7, 17)
    )
    ev = Event.objects.get(type=EventType.REPAIR_APPROVED)
    assert ev.uscc == penalty_app.enterprise.uscc and ev.region_code == "440305"
    assert ev.data["kind"] == "penalty_publication"
    assert ev.data["target_id"] == penalty_app.penalty_id == ev.data["penalty_id"]
    assert ev.data["decision_no"] == "深南信修〔2025〕4号"


def test_serious_listing_repair_removes_it_through_the_lists_action(
    published_serious, apply_for, nanshan_head
):
    from xinjian.lists.models import RemovalReason, SeriousStatus
    from xinjian.lists.queries import constraints, public_serious

    s = published_serious(D(2025, 3, 3))
    app = apply_for("serious", s, D(2026, 3, 3))
    actions.accept(app, actor=nanshan_head, on=D(2026, 3, 4))
    actions.approve(
        app, actor=nanshan_head, decision_no="深南信修〔2026〕5号", confirmed=True, on=D(2026, 3, 5)
    )
    actions.update_publication(app, actor=nanshan_head, on=D(2026, 3, 5))
    s.refresh_from_db()
    assert s.status == SeriousStatus.REMOVED and s.removal_reason == RemovalReason.CREDIT_REPAIR
    assert not public_serious(D(2026, 3, 6)).filter(pk=s.pk).exists()
    assert constraints(s.enterprise, D(2026, 3, 6))["on_serious_list"] is False
    assert Event.objects.filter(type=EventType.LISTING_REMOVED, data__repair="深南信修〔2026〕5号").exists()
    assert Event.objects.get(type=EventType.REPAIR_APPROVED).data["kind"] == "serious"


def test_anomaly_repair_notes_the_ground_ceased_and_removes_the_listing(
    listed_anomaly, apply_for, nanshan_head
):
    from xinjian.lists.models import AnomalyStatus, RemovalReason

    a = listed_anomaly(D(2025, 3, 3))
    app = apply_for("anomaly", a, D(2025, 4, 1))
    actions.accept(app, actor=nanshan_head, on=D(2025, 4, 2))
    actions.approve(
        app, actor=nanshan_head, decision_no="深南信修〔2025〕6号", confirmed=True, on=D(2025, 4, 3)
    )
    actions.update_publication(app, actor=nanshan_head, on=D(2025, 4, 3))
    a.refresh_from_db()
    assert a.status == AnomalyStatus.REMOVED and a.removal_reason == RemovalReason.CREDIT_REPAIR
    assert a.ceased_reason == RemovalReason.REACHABLE and a.removal_decision_no == "深南信修〔2025〕6号"
    assert [h.action for h in a.history.all()][-2:] == ["note_ground_ceased", "remove"]


def test_revoking_a_penalty_repair_resumes_publication(penalty_app, nanshan_head):
    from xinjian.disclosure import policy

    app = penalty_app
    actions.accept(app, actor=nanshan_head, on=D(2025, 7, 16))
    actions.approve(
        app, actor=nanshan_head, decision_no="深南信修〔2025〕7号", confirmed=True, on=D(2025, 7, 17)
    )
    actions.update_publication(app, actor=nanshan_head, on=D(2025, 7, 17))
    p = app.penalty
    p.refresh_from_db()
    assert not policy.penalty_visible(p, D(2025, 8, 1))
    with pytest.raises(DomainError):
        actions.revoke(app, actor=nanshan_head, reason="伪造缴款凭证", decision_no="", on=D(2025, 8, 1))
    actions.revoke(
        app, actor=nanshan_head, reason="伪造缴款凭证", decision_no="深南撤修〔2025〕1号", on=D(2025, 8, 1)
    )
    p.refresh_from_db()
    assert app.status == S.REVOKED and p.publication_stopped_on is None
    assert policy.penalty_visible(p, D(2025, 8, 1))
    ev = Event.objects.get(type=EventType.REPAIR_REVOKED)
    assert ev.data["kind"] == "penalty_publication" and ev.data["revoke_decision_no"] == "深南撤修〔2025〕1号"


def test_revoking_list_repairs_restores_the_anomaly_listing_and_restarts_the_serious_one(
    listed_anomaly, published_serious, apply_for, nanshan_head
):
    from xinjian.lists.models import AnomalyStatus, SeriousStatus
    from xinjian.lists.queries import on_anomaly_list

    a = listed_anomaly(D(2025, 3, 3))
    app = apply_for("anomaly", a, D(2025, 4, 1))
    actions.accept(app, actor=nanshan_head, on=D(2025, 4, 2))
    actions.approve(
        app, actor=nanshan_head, decision_no="深南信修〔2025〕8号", confirmed=True, on=D(2025, 4, 3)
    )
    actions.update_publication(app, actor=nanshan_head, on=D(2025, 4, 3))
    assert not on_anomaly_list(a.enterprise, D(2025, 4, 4))
    actions.revoke(
        app, actor=nanshan_head, reason="虚假材料", decision_no="深南撤修〔2025〕2号", on=D(2025, 5, 6)
    )
    assert app.restored_anomaly.status == AnomalyStatus.LISTED
    assert on_anomaly_list(a.enterprise, D(2025, 5, 6))

    s = published_serious(D(2025, 3, 3))
    app2 = apply_for("serious", s, D(2026, 3, 3))
    actions.accept(app2, actor=nanshan_head, on=D(2026, 3, 4))
    actions.approve(
        app2, actor=nanshan_head, decision_no="深南信修〔2026〕9号", confirmed=True, on=D(2026, 3, 5)
    )
    actions.update_publication(app2, actor=nanshan_head, on=D(2026, 3, 5))
    actions.revoke(
        app2, actor=nanshan_head, reason="虚假材料", decision_no="深南撤修〔2026〕3号", on=D(2026, 4, 1)
    )
    assert app2.restored_serious.status == SeriousStatus.PROPOSED
    assert app2.restored_serious.penalty_id == s.penalty_id
    assert "重新提出列入" in app2.history.last().reason


def test_only_the_deciding_department_with_the_right_permission_acts(
    penalty_app, baoan_head, county_officer, province_officer, staff_factory
):
    with pytest.raises(NotAllowed) as other:
        actions.accept(penalty_app, actor=baoan_head, on=D(2025, 7, 16))
    assert other.value.code == "wrong_department"
    with pytest.raises(NotAllowed):  # the province sees it but did not decide the penalty
        actions.accept(penalty_app, actor=province_officer, on=D(2025, 7, 16))
    actions.accept(penalty_app, actor=county_officer, on=D(2025, 7, 16))
    with pytest.raises(NotAllowed):  # a credit officer cannot sign the decision
        actions.approve(
            penalty_app, actor=county_officer, decision_no="X1", confirmed=True, on=D(2025, 7, 17)
        )
    approver = staff_factory("440305", ["approver"])
    actions.approve(penalty_app, actor=approver, decision_no="X1", confirmed=True, on=D(2025, 7, 17))
    assert penalty_app.status == S.APPROVED


def test_the_clock_flags_each_overdue_step_once(penalty_app, nanshan_head):
    from xinjian.core import clocks
    from xinjian.core.actors import CLOCK
    from xinjian.repair.clocks import flag_overdue

    assert "repair.overdue" in {c.name for c in clocks.all_clocks()}
    app = penalty_app  # accept due 2025-07-17
    assert flag_overdue(D(2025, 7, 17), actor=CLOCK) == 0
    assert flag_overdue(D(2025, 7, 18), actor=CLOCK, dry_run=True) == 1
    assert flag_overdue(D(2025, 7, 18), actor=CLOCK) == 1
    assert flag_overdue(D(2025, 7, 19), actor=CLOCK) == 0  # idempotent
    app.refresh_from_db()
    assert app.overdue_stage == "accept" and app.overdue_since == D(2025, 7, 18)
    actions.accept(app, actor=nanshan_head, on=D(2025, 7, 21))
    assert app.overdue_stage == ""  # the awaited step changed
    assert flag_overdue(D(2025, 8, 11), actor=CLOCK) == 0  # decide due 2025-08-11
    assert flag_overdue(D(2025, 8, 12), actor=CLOCK) == 1
    app.refresh_from_db()
    assert app.overdue_stage == "decide"
    actions.approve(
        app, actor=nanshan_head, decision_no="深南信修〔2025〕10号", confirmed=True, on=D(2025, 8, 12)
    )
    assert app.publication_due == D(2025, 8, 15)
    assert flag_overdue(D(2025, 8, 18), actor=CLOCK) == 1
    app.refresh_from_db()
    assert app.overdue_stage == "publication"
    assert [h.action for h in app.history.all()].count("flag_overdue") == 3


def test_run_clocks_command_applies_the_repair_clock(penalty_app):
    from django.core.management import call_command

    call_command("run_clocks", "--date", "2025-07-18")
    penalty_app.refresh_from_db()
    assert penalty_app.overdue_stage == "accept"


def test_demo_repair_makes_applications_at_each_step_once(enterprise_factory, penalty_factory):
    from django.core.management import call_command

    from xinjian.core.workdays import today

    for i in range(4):
        e = enterprise_factory(source="demo")
        penalty_factory(
            e,
            decided_on=today() - dt.timedelta(days=230 + i),
            published_on=today() - dt.timedelta(days=220 + i),
        )
    call_command("demo_repair")
    statuses = sorted(RepairApplication.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "done", "submitted", "submitted"]
    assert RepairApplication.objects.exclude(overdue_stage="").count() == 1
    call_command("demo_repair")
    assert RepairApplication.objects.count() == 4


def test_a_revoked_repair_reaches_the_changes_feed_like_the_approval(
    penalty_app, nanshan_head, client, api_client_factory
):
    actions.accept(penalty_app, actor=nanshan_head, on=D(2025, 7, 16))
    actions.approve(
        penalty_app, actor=nanshan_head, decision_no="深南信修〔2025〕30号", confirmed=True, on=D(2025, 7, 17)
    )
    actions.revoke(
        penalty_app,
        actor=nanshan_head,
        reason="伪造凭证",
        decision_no="深南撤修〔2025〕30号",
        on=D(2025, 7, 18),
    )
    _, token = api_client_factory(scopes=["changes"])
    events = client.get("/api/v1/changes?after=0&limit=100", HTTP_AUTHORIZATION=f"Bearer {token}").json()[
        "events"
    ]
    types = [e["type"] for e in events if e["uscc"] == penalty_app.enterprise.uscc]
    assert types[-2:] == ["repair.approved", "repair.revoked"]
