"""The audit trail: every action writes who, when, what, before → after."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import auditchain
from .actors import Actor, as_actor
from .clocks import register
from .models import AuditEntry

logger = logging.getLogger("xinjian.audit")


def jsonable(value: Any) -> Any:
    """Make model field values safe for a JSON column."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a row, for before/after columns."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: jsonable(getattr(obj, name)) for name in names}


def diff(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Keep only what changed, so the trail reads as before → after."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    uscc: str = "",
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEntry:
    who: Actor = as_actor(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    changed_before, changed_after = diff(before, after)
    return AuditEntry.objects.create(
        actor_user=who.user,
        actor_label=who.label,
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        uscc=uscc,
        before=changed_before,
        after=changed_after,
        reason=reason,
    )


# --- the chain (core.auditchain) ------------------------------------------------------------

HEAD_FILE = "audit_chain_head.json"


def chain_head() -> dict[str, Any]:
    """The newest entry of the trail as an outsider should keep it: id, hash, count."""
    last = AuditEntry.objects.order_by("-id").values("id", "hash", "at").first()
    if last is None:
        return {"entry_id": None, "hash": auditchain.GENESIS, "at": None, "entries": 0}
    return {
        "entry_id": last["id"],
        "hash": last["hash"],
        "at": last["at"].isoformat(),
        "entries": AuditEntry.objects.filter(id__lte=last["id"]).count(),
    }


def published_heads() -> list[tuple[str, int, str]]:
    """(where, entry id, hash) of every head published in the open data so far."""
    heads = []
    for path in sorted((Path(settings.VAR_DIR) / "open_data").glob(f"*/{HEAD_FILE}")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data.get("entry_id"), int) and isinstance(data.get("hash"), str):
            heads.append((str(path), data["entry_id"], data["hash"]))
    return heads


def verify_chain(heads: list[tuple[str, int, str]] | None = None) -> tuple[int, auditchain.Break | None]:
    """Walk the whole trail in id order. Returns (entries checked, first break or None).
    `heads` (default: the published ones) must each still be in the chain as published:
    that catches a rewritten or truncated tail the links alone cannot."""
    rows = (
        AuditEntry.objects.order_by("id")
        .values("id", "prev_hash", "hash", *auditchain.CHAINED_FIELDS)
        .iterator(chunk_size=5000)
    )
    checked, hashes = 0, {}
    wanted = {entry_id: (where, h) for where, entry_id, h in (published_heads() if heads is None else heads)}
    for step in auditchain.walk(rows):
        if isinstance(step, auditchain.Break):
            return checked, step
        checked += 1
        if step[0] in wanted:
            hashes[step[0]] = step[1]
    for entry_id, (where, h) in sorted(wanted.items()):
        if entry_id not in hashes:
            return checked, auditchain.Break(
                entry_id, "head_missing", f"published as a chain head ({where}) but no longer in the trail"
            )
        if hashes[entry_id] != h:
            return checked, auditchain.Break(
                entry_id, "head_altered", f"its hash differs from the chain head published in {where}"
            )
    return checked, None


@register("core.audit_verify", _("核验审计记录哈希链是否完整（每日）"), order=890)
def verify_daily(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    """Run before the open data publishes the day's chain head. A break is logged as an
    error and recorded in the trail itself (the entry after the break stays readable);
    the count is the number of breaks found (0 or 1)."""
    checked, broken = verify_chain()
    if broken is None:
        return 0
    logger.error("audit chain broken (%s good entries before): %s", checked, broken)
    if not dry_run:
        with transaction.atomic():
            record(
                "core.audit_chain.broken",
                actor=actor,
                object_type="core.auditentry",
                object_id=str(broken.entry_id),
                after={
                    "problem": broken.problem,
                    "detail": broken.detail,
                    "checked": checked,
                    "on": on.isoformat(),
                },
            )
    return 1
