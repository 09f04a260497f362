"""Credit-repair time limits (domain.md §12), derived from start + rule + calendar
(core.deadlines): accept, decide, update the publication."""

from __future__ import annotations

from xinjian.core.deadlines import DeadlineRule, register

from .models import RepairApplication
from .rules import rules_on


def _rules(app: RepairApplication):  # type: ignore[no-untyped-def]
    return rules_on(app.submitted_on, app.enterprise.region_code)


ACCEPT_DUE = register(
    DeadlineRule(
        RepairApplication,
        "accept_due",
        "submitted_on",
        lambda a: _rules(a).accept_working_days,
        label="受理期限",
    )
)
DECIDE_DUE = register(
    DeadlineRule(
        RepairApplication,
        "decide_due",
        "accepted_on",
        lambda a: _rules(a).decide_working_days,
        label="决定期限",
    )
)
PUBLICATION_DUE = register(
    DeadlineRule(
        RepairApplication,
        "publication_due",
        "decided_on",
        lambda a: _rules(a).publication_working_days,
        label="更新公示期限",
    )
)
