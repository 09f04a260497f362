"""Every state change of the lists (architecture rule 1): atomic, audited, evented, with
a history row per transition. Transitions are tables; an illegal move raises.

One module per noun: `anomaly`, `serious`, `typical_cases`; this package re-exports
their public names so callers write `actions.list_anomaly`."""

from __future__ import annotations

from ._base import ANOMALY, ANOMALY_TRANSITIONS, SERIOUS, SERIOUS_TRANSITIONS, A, S, department_for
from .anomaly import (
    approve_anomaly_draft,
    drop_anomaly_draft,
    list_anomaly,
    list_for_missing_reports,
    note_ground_ceased,
    publish_reminder,
    remove_anomaly,
    revoke_anomaly,
)
from .publication_orders import fulfil_publication_order, list_for_lapsed_order, order_publication
from .serious import (
    approve_serious,
    approving_department,
    conclude_hearing,
    decide_serious,
    drop_serious,
    escalate_anomaly,
    expire_serious,
    import_serious_decision,
    lapse_if_no_longer_due,
    notify_party,
    propose_serious,
    publish_serious,
    recheck_escalation,
    record_statement,
    remove_serious_early,
    request_hearing,
    revoke_serious,
    schedule_hearing,
    serve_decision,
    submit_for_approval,
)
from .typical_cases import CASE_TRANSITIONS, CASES, move_case, save_case

__all__ = [
    "ANOMALY",
    "SERIOUS",
    "CASES",
    "A",
    "ANOMALY_TRANSITIONS",
    "CASE_TRANSITIONS",
    "S",
    "SERIOUS_TRANSITIONS",
    "approve_anomaly_draft",
    "approve_serious",
    "conclude_hearing",
    "lapse_if_no_longer_due",
    "recheck_escalation",
    "request_hearing",
    "schedule_hearing",
    "serve_decision",
    "approving_department",
    "decide_serious",
    "department_for",
    "drop_anomaly_draft",
    "drop_serious",
    "escalate_anomaly",
    "expire_serious",
    "fulfil_publication_order",
    "import_serious_decision",
    "list_anomaly",
    "list_for_lapsed_order",
    "list_for_missing_reports",
    "move_case",
    "note_ground_ceased",
    "notify_party",
    "order_publication",
    "propose_serious",
    "publish_reminder",
    "publish_serious",
    "record_statement",
    "remove_anomaly",
    "remove_serious_early",
    "revoke_anomaly",
    "revoke_serious",
    "save_case",
    "submit_for_approval",
]
