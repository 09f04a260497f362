"""Repair time limits are derived and provisional where the calendar lacks the year; the
overdue clock follows the recomputed limit (issue 12 item 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from xinjian.core.actions import load_calendar
from xinjian.core.actors import CLOCK, SYSTEM
from xinjian.core.clocks import all_clocks
from xinjian.repair.models import RepairApplication

pytestmark = pytest.mark.django_db
D = dt.date


def _overdue_clock(on: dt.date) -> int:
    [clock] = [c for c in all_clocks() if c.name == "repair.overdue"]
    return clock.fn(on, actor=CLOCK)


def test_accept_limit_into_2027_is_provisional_then_recomputed_and_the_clock_follows_it(
    enterprise_factory, penalty_factory, apply_for, client, api_client_factory
):
    p = penalty_factory(
        enterprise_factory(),
        decided_on=D(2026, 1, 10),
        fulfilled_on=D(2026, 2, 1),
        published_on=D(2026, 1, 15),
    )
    app = apply_for("penalty_publication", p, D(2026, 12, 30))  # a Wednesday
    _, token = api_client_factory(scopes=["share"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    [row] = client.get(f"/api/v1/enterprises/{app.enterprise.uscc}/repairs", **auth).json()["results"]
    # 31 December, then Friday 1 January 2027 counted Monday–Friday: provisional.
    assert (row["accept_due"], row["accept_due_provisional"]) == ("2027-01-01", True)
    assert row["decide_due"] is None and row["decide_due_provisional"] is False

    load_calendar("2027-01-01,holiday\n", actor=SYSTEM, source="test")
    assert RepairApplication.objects.get(pk=app.pk).accept_due == D(2027, 1, 4)
    [row] = client.get(f"/api/v1/enterprises/{app.enterprise.uscc}/repairs", **auth).json()["results"]
    assert (row["accept_due"], row["accept_due_provisional"]) == ("2027-01-04", False)
    # The clock flags the step only after the recomputed last day.
    assert _overdue_clock(D(2027, 1, 4)) == 0
    assert _overdue_clock(D(2027, 1, 5)) == 1
    assert RepairApplication.objects.get(pk=app.pk).is_overdue(D(2027, 1, 5))
    assert not RepairApplication.objects.get(pk=app.pk).is_overdue(D(2027, 1, 4))
