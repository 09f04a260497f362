"""A double-submitted finding is concluded once and reports `commitment.untrue` once."""

from __future__ import annotations

import datetime as dt

from xinjian.commitments import actions
from xinjian.commitments.models import Verification
from xinjian.core.models import Event
from xinjian.core.tests.concurrency import concurrent, double_submit, one_success

pytestmark = concurrent


def test_a_double_submitted_untrue_finding_is_made_once(assigned, county_officer):
    v = assigned(on=dt.date(2026, 4, 1))

    out = double_submit(
        lambda: Verification.objects.select_related("enterprise", "commitment").get(pk=v.pk),
        lambda x: actions.conclude_untrue(
            x, actor=county_officer, facts="不具备承诺的条件", consequences=[{"kind": "terminate"}]
        ),
    )

    one_success(out)
    assert Event.objects.filter(type="commitment.untrue", data__verification_id=v.pk).count() == 1
    assert Verification.objects.get(pk=v.pk).consequences.count() == 1
