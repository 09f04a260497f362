"""Verification of commitments: the state machine, consequences of an untrue finding, the
rectification clock, publication, the constraint of domain.md §6 and jurisdiction."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from xinjian.commitments import actions, clocks
from xinjian.commitments.models import Consequence, Verification, VerificationHistory
from xinjian.core.actors import CLOCK
from xinjian.core.errors import Conflict, DomainError, InvalidTransition
from xinjian.core.models import AuditEntry, Event

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_commitment_is_selected_assigned_and_found_kept_with_a_history_row_per_move(
    assigned, county_officer
):
    v = assigned(on=D(2026, 4, 1))
    actions.conclude_kept(
        v, actor=county_officer, facts="现场核查与承诺一致", documents="笔录1份", on=D(2026, 4, 8)
    )
    v.refresh_from_db()
    assert v.status == "kept" and v.concluded_on == D(2026, 4, 8) and v.published_on is None
    moves = list(
        VerificationHistory.objects.filter(verification=v).values_list("action", "from_status", "to_status")
    )
    assert moves == [
        ("select", "", "selected"),
        ("assign", "selected", "assigned"),
        ("conclude_kept", "assigned", "kept"),
    ]
    assert AuditEntry.objects.filter(object_type="commitments.verification", object_id=str(v.pk)).count() == 3
    # A kept commitment is not an untrue finding: nothing goes out on the event log.
    assert not Event.objects.filter(type="commitment.untrue").exists()


def test_illegal_moves_raise_and_change_nothing(commitment_factory, enterprise_factory, county_officer):
    c = commitment_factory(enterprise_factory())
    v = actions.select_for_verification(c, actor=county_officer, reason="抽查", on=D(2026, 4, 1))
    with pytest.raises(InvalidTransition):  # not assigned yet
        actions.conclude_kept(v, actor=county_officer, facts="x")
    with pytest.raises(Conflict):  # one open verification per commitment
        actions.select_for_verification(c, actor=county_officer, reason="again")
    actions.assign(v, actor=county_officer, assignee=county_officer)
    actions.conclude_kept(v, actor=county_officer, facts="属实")
    for move in (
        lambda: actions.conclude_untrue(
            v, actor=county_officer, facts="x", consequences=[{"kind": "terminate"}]
        ),
        lambda: actions.cancel(v, actor=county_officer, reason="x"),
        lambda: actions.assign(v, actor=county_officer, assignee=county_officer),
        lambda: actions.mark_repaired(v, actor=county_officer, repair_ref="粤信修〔2026〕1号"),
    ):
        with pytest.raises(InvalidTransition):
            move()
    v.refresh_from_db()
    assert v.status == "kept" and v.history.count() == 3
    # Once concluded, the commitment may be verified again.
    assert actions.select_for_verification(c, actor=county_officer, reason="复查").status == "selected"


def test_selection_needs_a_reason_and_a_commitment_attached_to_an_enterprise(
    commitment_factory, enterprise_factory, county_officer
):
    e = enterprise_factory()
    with pytest.raises(DomainError) as err:
        actions.select_for_verification(commitment_factory(e), actor=county_officer, reason=" ")
    assert err.value.details[0]["field"] == "reason"
    pending = commitment_factory(None)
    with pytest.raises(DomainError) as err:
        actions.select_for_verification(pending, actor=county_officer, reason="x")
    assert err.value.code == "pending_enterprise"


def test_an_assignee_must_have_the_enterprise_in_their_jurisdiction(assigned, staff_factory, county_officer):
    v = assigned()
    other_county = staff_factory("440306", ["credit_officer"])
    with pytest.raises(DomainError) as err:
        actions.assign(v, actor=county_officer, assignee=other_county)
    assert err.value.code == "invalid_assignee"
    province = staff_factory("440000", ["credit_officer"])
    assert actions.assign(v, actor=county_officer, assignee=province).assignee == province


def test_untrue_needs_facts_and_a_consequence_and_penalties_name_their_decision(assigned, county_officer):
    v = assigned()
    bad = [
        ([], "consequence_required"),
        ([{"kind": "fine"}], "invalid_consequence"),
        ([{"kind": "penalty"}], "decision_no_required"),
        ([{"kind": "revoke_decision", "decision_no": " "}], "decision_no_required"),
        ([{"kind": "terminate"}, {"kind": "terminate"}], "duplicate_consequence"),
        ([{"kind": "rectify", "working_days": 0}], "invalid_working_days"),
        ([{"kind": "rectify", "working_days": "abc"}], "invalid_working_days"),
    ]
    for consequences, code in bad:
        with pytest.raises(DomainError) as err:
            actions.conclude_untrue(v, actor=county_officer, facts="承诺不实", consequences=consequences)
        assert err.value.code == code
    with pytest.raises(DomainError) as err:
        actions.conclude_untrue(v, actor=county_officer, facts="", consequences=[{"kind": "terminate"}])
    assert err.value.details[0]["field"] == "facts"
    v.refresh_from_db()
    assert v.status == "assigned" and not Consequence.objects.exists()
    assert not Event.objects.filter(type="commitment.untrue").exists()


def test_an_untrue_finding_records_every_consequence_and_emits_commitment_untrue(assigned, county_officer):
    v = assigned()
    actions.conclude_untrue(
        v,
        actor=county_officer,
        facts="实际生产场所与承诺不符",
        finding_no="深南市监核〔2026〕1号",
        consequences=[
            {"kind": "terminate"},
            {"kind": "rectify", "working_days": 10},
            {"kind": "revoke_decision", "decision_no": "深南市监撤字〔2026〕3号"},
            {"kind": "penalty", "decision_no": "深南市监罚〔2026〕88号"},
        ],
        on=D(2026, 4, 10),
    )
    v.refresh_from_db()
    assert v.status == "untrue" and v.published_on == D(2026, 4, 10)
    kinds = list(v.consequences.values_list("kind", flat=True))
    assert kinds == ["terminate", "rectify", "revoke_decision", "penalty"]
    assert v.consequences.get(kind="penalty").decision_no == "深南市监罚〔2026〕88号"
    ev = Event.objects.get(type="commitment.untrue")
    assert ev.uscc == v.enterprise.uscc and ev.region_code == "440305"
    assert ev.data["verification_id"] == v.pk and ev.data["commitment_kind"] == "notification"
    assert ev.data["commitment_id"] == v.commitment_id
    assert [c["kind"] for c in ev.data["consequences"]] == kinds


def test_rectification_deadline_counts_working_days_and_explains_itself(assigned, county_officer):
    v = assigned(on=D(2025, 9, 20))
    # domain.md §14: 20 working days from 2025-09-26 is 2025-10-30.
    actions.conclude_untrue(
        v,
        actor=county_officer,
        facts="不实",
        consequences=[{"kind": "rectify", "working_days": 20}],
        on=D(2025, 9, 26),
    )
    c = Consequence.objects.get()
    assert c.due_on == D(2025, 10, 30)
    explain = c.deadline().explain()
    assert "自2025年9月26日起算20个工作日" in explain and "截止2025年10月30日" in explain


def test_the_default_rectification_period_comes_from_the_rule_table(assigned, county_officer):
    from xinjian.commitments.models import CommitmentRuleSet

    CommitmentRuleSet.objects.create(
        effective_from=D(2026, 1, 1), province_code="440000", rectification_working_days=5
    )
    v = assigned()
    actions.conclude_untrue(
        v, actor=county_officer, facts="不实", consequences=[{"kind": "rectify"}], on=D(2026, 4, 13)
    )
    assert Consequence.objects.get().working_days == 5


def test_the_rectification_clock_flags_only_after_the_due_day_and_once(assigned, county_officer):
    v = assigned(on=D(2025, 9, 20))
    with freeze_time("2025-09-26 03:00:00"):  # 11:00 in Shanghai
        actions.conclude_untrue(
            v, actor=county_officer, facts="不实", consequences=[{"kind": "rectify", "working_days": 20}]
        )
    c = Consequence.objects.get()
    assert c.due_on == D(2025, 10, 30)
    assert clocks.rectification_overdue(D(2025, 10, 30), actor=CLOCK) == 0  # the due day is still in time
    assert clocks.rectification_overdue(D(2025, 10, 31), actor=CLOCK, dry_run=True) == 1
    c.refresh_from_db()
    assert c.overdue_on is None  # a dry run changes nothing
    assert clocks.rectification_overdue(D(2025, 10, 31), actor=CLOCK) == 1
    assert clocks.rectification_overdue(D(2025, 11, 3), actor=CLOCK) == 0  # idempotent
    c.refresh_from_db()
    assert c.overdue_on == D(2025, 10, 31)
    flag = v.history.get(action="flag_overdue")
    assert flag.actor_label == "system:clock" and "截止2025年10月30日" in flag.reason


def test_rectification_in_time_stops_the_clock(assigned, county_officer):
    v = assigned()
    actions.conclude_untrue(
        v,
        actor=county_officer,
        facts="不实",
        consequences=[{"kind": "rectify", "working_days": 5}],
        on=D(2026, 4, 13),
    )
    c = Consequence.objects.get()
    actions.record_rectified(c, actor=county_officer, on=D(2026, 4, 15))
    assert clocks.rectification_overdue(D(2026, 6, 1), actor=CLOCK) == 0
    with pytest.raises(Conflict):
        actions.record_rectified(c, actor=county_officer)
    assert v.history.filter(action="record_rectified").get().reason == "按期整改完成"


def test_run_clocks_knows_the_rectification_clock():
    from xinjian.core.clocks import all_clocks

    assert "commitments.rectification_overdue" in {c.name for c in all_clocks()}


def test_mark_repaired_needs_a_reference_and_happens_once(assigned, county_officer):
    v = assigned()
    actions.conclude_untrue(v, actor=county_officer, facts="不实", consequences=[{"kind": "terminate"}])
    with pytest.raises(DomainError):
        actions.mark_repaired(v, actor="repair", repair_ref="")
    actions.mark_repaired(v, actor="repair", repair_ref="粤信修〔2026〕1号", on=D(2026, 6, 1))
    v.refresh_from_db()
    assert v.repaired_on == D(2026, 6, 1) and v.repair_ref == "粤信修〔2026〕1号" and v.status == "untrue"
    assert v.history.last().action == "repair"
    with pytest.raises(Conflict):
        actions.mark_repaired(v, actor="repair", repair_ref="again")


def test_cancel_needs_a_reason(assigned, county_officer):
    v = assigned()
    with pytest.raises(DomainError):
        actions.cancel(v, actor=county_officer, reason="")
    actions.cancel(v, actor=county_officer, reason="承诺事项已撤回")
    assert Verification.objects.get().status == "cancelled"


def test_the_verification_page_offers_cancel_from_the_workflow_table(client, assigned, county_officer):
    """Issue 14: the object's page renders the moves the person may take (the one engine)."""
    v = assigned()
    client.force_login(county_officer)
    assert 'data-action="cancel"' in client.get(f"/staff/commitments/v/{v.pk}/").content.decode()
    r = client.post(f"/staff/workflow/commitments.verification/{v.pk}/cancel/", {"reason": ""}, follow=True)
    assert Verification.objects.get().status == "assigned" and r.status_code == 200
    client.post(f"/staff/workflow/commitments.verification/{v.pk}/cancel/", {"reason": "承诺事项已撤回"})
    assert Verification.objects.get().status == "cancelled"


def test_assign_and_the_kept_conclusion_are_the_tables_buttons(
    client, assigned, county_officer, city_officer, staff_factory, inspector
):
    """Issue 11 §1 / 14: assignment offers only staff whose jurisdiction covers the
    enterprise; the kept conclusion needs its facts; both post to the one workflow view."""
    v = assigned()
    staff_factory("440306", ["credit_officer"], "baoan")  # 宝安区 does not cover 南山区
    client.force_login(inspector)
    assert client.post(f"/staff/workflow/commitments.verification/{v.pk}/conclude_kept/").status_code == 403
    client.force_login(county_officer)
    page = client.get(f"/staff/commitments/v/{v.pk}/").content.decode()
    assert 'data-action="assign"' in page and 'data-action="conclude_kept"' in page
    assert f'<option value="{city_officer.pk}">' in page and "baoan" not in page
    baoan = staff_factory("440306", ["credit_officer"], "baoan2")
    r = client.post(
        f"/staff/workflow/commitments.verification/{v.pk}/assign/", {"assignee": str(baoan.pk)}, follow=True
    )
    assert "核查人员：" in r.content.decode()
    client.post(
        f"/staff/workflow/commitments.verification/{v.pk}/assign/", {"assignee": str(city_officer.pk)}
    )
    v.refresh_from_db()
    assert v.assignee == city_officer
    r = client.post(
        f"/staff/workflow/commitments.verification/{v.pk}/conclude_kept/", {"facts": " "}, follow=True
    )
    assert "核查事实不能为空" in r.content.decode()
    assert Verification.objects.get().status == "assigned"
    client.post(
        f"/staff/workflow/commitments.verification/{v.pk}/conclude_kept/",
        {"facts": "现场核查与承诺一致", "finding_no": "深南市监核〔2026〕3号"},
    )
    v.refresh_from_db()
    assert v.status == "kept" and v.finding_no == "深南市监核〔2026〕3号"
    page = client.get(f"/staff/commitments/v/{v.pk}/").content.decode()
    assert 'data-action="assign"' not in page and 'data-action="conclude_kept"' not in page
