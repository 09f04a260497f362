from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

_n = itertools.count(1)


@pytest.fixture
def commitment_factory(db):
    """A commitment collected from an approval system (interfaces.md `commitments`)."""
    from xinjian.collection.models import CommitmentRecord

    def make(enterprise, **fields: Any) -> CommitmentRecord:
        n = next(_n)
        defaults = {
            "enterprise": enterprise,
            "uscc": enterprise.uscc if enterprise else "91350100M000100Y43",
            "source": "approval-system",
            "source_id": f"C-{n}",
            "kind": "notification",
            "matter": "食品生产许可（告知承诺办理）",
            "committed_on": dt.date(2026, 3, 2),
            "content": "申请人承诺已符合许可条件",
            "application_no": f"SQ2026{n:05d}",
        }
        defaults.update(fields)
        return CommitmentRecord.objects.create(**defaults)

    return make


@pytest.fixture
def assigned(commitment_factory, enterprise_factory, county_officer):
    """A commitment selected and assigned to the county officer (Nanshan)."""
    from xinjian.commitments import actions

    def make(enterprise=None, on: dt.date = dt.date(2026, 4, 1), officer=None, **fields: Any):
        officer = officer or county_officer
        e = enterprise or enterprise_factory(**fields)
        c = commitment_factory(e)
        v = actions.select_for_verification(c, actor=officer, reason="投诉线索", on=on)
        return actions.assign(v, actor=officer, assignee=officer, on=on)

    return make
