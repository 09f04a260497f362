"""A double-submitted approval repairs once and reports `repair.approved` once."""

from __future__ import annotations

import datetime as dt

from xinjian.core.models import Event
from xinjian.core.tests.concurrency import concurrent, double_submit, one_success
from xinjian.repair import actions
from xinjian.repair.models import RepairApplication

pytestmark = concurrent
D = dt.date


def test_a_double_submitted_approval_is_taken_once(
    enterprise_factory, penalty_factory, apply_for, nanshan_head
):
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    app = apply_for("penalty_publication", p, D(2025, 7, 15))
    actions.accept(app, actor=nanshan_head, on=D(2025, 7, 16))

    out = double_submit(
        lambda: RepairApplication.objects.get(pk=app.pk),
        lambda a: actions.approve(
            a, actor=nanshan_head, decision_no="深南信修〔2025〕1号", confirmed=True, on=D(2025, 7, 21)
        ),
    )

    one_success(out)
    assert Event.objects.filter(type="repair.approved", data__application_id=app.pk).count() == 1
    assert [h.action for h in RepairApplication.objects.get(pk=app.pk).history.all()] == [
        "submit",
        "accept",
        "approve",
    ]
