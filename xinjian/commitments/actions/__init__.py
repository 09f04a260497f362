"""Every state change of the commitments (architecture rule 1): atomic, audited, with the
event where other parts of the platform react, and a history row per transition of a
verification. Transitions are a table; an illegal move raises.

One module per noun: `templates`, `public`, `selection`, `verification`,
`rectification`; this package re-exports their public names."""

from __future__ import annotations

from ._base import VERIFICATION, VERIFICATION_TRANSITIONS, V
from .public import make_public_commitment
from .rectification import flag_overdue, record_rectified
from .selection import draw_sample, rank_key, select_for_verification
from .templates import save_template
from .verification import (
    assign,
    assign_to,
    cancel,
    conclude_kept,
    conclude_untrue,
    mark_repaired,
    revoke_repair,
)

__all__ = [
    "VERIFICATION",
    "V",
    "VERIFICATION_TRANSITIONS",
    "assign",
    "assign_to",
    "cancel",
    "conclude_kept",
    "conclude_untrue",
    "draw_sample",
    "flag_overdue",
    "make_public_commitment",
    "mark_repaired",
    "rank_key",
    "record_rectified",
    "revoke_repair",
    "save_template",
    "select_for_verification",
]
