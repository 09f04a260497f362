"""What every commitments action shares: the verification transition table and move, and
the public profile cache."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from xinjian.core import workflow

from ..models import (
    Verification,
    VerificationHistory,
    VerificationStatus,
)

V = VerificationStatus

# action → (states it may start from, state it leads to)
VERIFICATION_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "select": ({""}, V.SELECTED),
    "assign": ({V.SELECTED, V.ASSIGNED}, V.ASSIGNED),
    "conclude_kept": ({V.ASSIGNED}, V.KEPT),
    "conclude_untrue": ({V.ASSIGNED}, V.UNTRUE),
    "cancel": ({V.SELECTED, V.ASSIGNED}, V.CANCELLED),
    "record_rectified": ({V.UNTRUE}, V.UNTRUE),
    "flag_overdue": ({V.UNTRUE}, V.UNTRUE),
    "repair": ({V.UNTRUE}, V.UNTRUE),
    "revoke_repair": ({V.UNTRUE}, V.UNTRUE),
}


def _forget_profile(uscc: str) -> None:
    """The public profile is cached (disclosure ADR 0033): drop it once the change commits."""
    from xinjian.disclosure.queries import forget_profile

    transaction.on_commit(lambda: forget_profile(uscc))


def _move(
    v: Verification, action: str, *, actor: Any, on: dt.date, reason: str = "", document_no: str = ""
) -> None:
    workflow.move(
        v,
        action,
        VERIFICATION_TRANSITIONS,
        actor=actor,
        on=on,
        history=VerificationHistory,
        link="verification",
        audit_action=f"commitments.verification.{action}",
        reason=reason,
        document_no=document_no,
    )
