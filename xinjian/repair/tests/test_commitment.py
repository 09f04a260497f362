"""Repair of an untrue-commitment finding (domain.md §6, §12): eligible once the ordered
rectification is done; approval emits `repair.approved` with kind `untrue_commitment`,
and the publication update calls `commitments.actions.mark_repaired`, after which the
constraints endpoint allows notification-and-commitment again."""

from __future__ import annotations

import datetime as dt

import pytest

from xinjian.core.events import EventType
from xinjian.core.models import Event
from xinjian.repair import actions, eligibility

D = dt.date
pytestmark = pytest.mark.django_db


def test_an_untrue_finding_is_repairable_only_after_the_rectification(untrue_finding, county_officer):
    from xinjian.commitments.actions import record_rectified

    v = untrue_finding(D(2025, 4, 1))
    before = eligibility.for_commitment(v, D(2025, 4, 10))
    assert not before.eligible and before.failed[0].code == "rectified"
    assert "期限2025年4月16日" in before.failed[0].detail
    record_rectified(v.consequences.get(), actor=county_officer, on=D(2025, 4, 12))
    assert eligibility.for_commitment(v, D(2025, 4, 12)).eligible


def test_repairing_an_untrue_finding_marks_it_repaired_and_lifts_the_constraint(
    untrue_finding, county_officer, nanshan_head, apply_for, api_client_factory, client
):
    from xinjian.commitments.actions import record_rectified
    from xinjian.lists.queries import constraints

    v = untrue_finding(D(2025, 4, 1))
    record_rectified(v.consequences.get(), actor=county_officer, on=D(2025, 4, 12))
    assert constraints(v.enterprise, D(2025, 4, 20))["commitment_allowed"] is False
    app = apply_for("untrue_commitment", v, D(2025, 4, 20))
    assert app.department.division_id == "440305"
    actions.accept(app, actor=nanshan_head, on=D(2025, 4, 21))
    actions.approve(
        app, actor=nanshan_head, decision_no="深南信修〔2025〕21号", confirmed=True, on=D(2025, 4, 22)
    )
    ev = Event.objects.get(type=EventType.REPAIR_APPROVED)
    assert (
        ev.data["kind"] == "untrue_commitment" and ev.data["target_id"] == v.pk == ev.data["verification_id"]
    )
    actions.update_publication(app, actor=nanshan_head, on=D(2025, 4, 23))
    v.refresh_from_db()
    assert v.repaired_on == D(2025, 4, 23) and v.repair_ref == "深南信修〔2025〕21号"
    assert constraints(v.enterprise, D(2025, 4, 24))["commitment_allowed"] is True
    actions.revoke(
        app, actor=nanshan_head, reason="整改材料虚假", decision_no="深南撤修〔2025〕9号", on=D(2025, 5, 6)
    )
    assert "恢复为未修复" in app.history.last().reason
    v.refresh_from_db()
    assert v.repaired_on is None and v.repair_ref == ""
    assert (
        v.history.last().action == "revoke_repair" and v.history.last().document_no == "深南撤修〔2025〕9号"
    )
    assert constraints(v.enterprise, D(2025, 5, 7))["commitment_allowed"] is False
