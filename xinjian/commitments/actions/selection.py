"""Selecting commitments for verification: by hand or by a seeded random sample."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.collection.models import CommitmentKind, CommitmentRecord
from xinjian.core import audit, hashrank
from xinjian.core.actors import as_actor
from xinjian.core.errors import Conflict, DomainError, NotAllowed, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.hashrank import rank_key as rank_key
from xinjian.core.jurisdiction import region_prefix, user_region_prefix
from xinjian.core.text import required
from xinjian.core.workdays import today
from xinjian.registry.departments import department_for, department_of

from ..models import (
    OPEN_STATUSES,
    SelectionMethod,
    Verification,
    VerificationSample,
)
from ._base import _move

# --- selection ---------------------------------------------------------------------------


def _select(
    commitment: CommitmentRecord,
    *,
    actor: Any,
    on: dt.date,
    reason: str,
    method: str,
    sample: VerificationSample | None = None,
) -> Verification:
    if commitment.enterprise_id is None:
        raise DomainError(gettext("该承诺尚未关联到登记主体，不能核查"), code="pending_enterprise")
    if commitment.archived_at is not None:
        raise DomainError(gettext("该承诺已归档，不能核查"), code="archived")
    if Verification.objects.filter(commitment=commitment, status__in=OPEN_STATUSES).exists():
        raise Conflict(gettext("该承诺已在核查中"), code="already_selected")
    enterprise = commitment.enterprise
    assert enterprise is not None
    v = Verification(
        commitment=commitment,
        enterprise=enterprise,
        kind=commitment.kind,
        method=method,
        sample=sample,
        department=department_of(actor) or department_for(enterprise.region_code),
        selected_on=on,
        reason=reason,
    )
    _move(v, "select", actor=actor, on=on, reason=reason)
    return v


@transaction.atomic
def select_for_verification(
    commitment: CommitmentRecord, *, actor: Any, reason: str = "", on: dt.date | None = None
) -> Verification:
    """Select one commitment for verification by hand."""
    return _select(
        commitment,
        actor=actor,
        on=on or today(),
        reason=required(reason, "reason", gettext("选定理由")),
        method=SelectionMethod.MANUAL,
    )


@transaction.atomic
def draw_sample(
    *,
    actor: Any,
    period_from: dt.date,
    period_to: dt.date,
    percent: Any,
    kind: str = CommitmentKind.NOTIFICATION,
    seed: str = "",
    region_code: str | None = None,
    on: dt.date | None = None,
) -> VerificationSample:
    """Select `percent`% of the commitments of `kind` made in the period in the actor's
    jurisdiction (or `region_code` inside it), at random with a recorded seed."""
    on = on or today()
    try:
        pct = Decimal(str(percent))
    except (InvalidOperation, ValueError):
        pct = Decimal("-1")
    if not pct.is_finite() or pct <= 0 or pct > 100:
        raise DomainError(
            gettext("抽取比例应大于0且不超过100"),
            code="invalid_percent",
            details=[field_error("percent", "invalid_percent", "0 < 比例 ≤ 100")],
        )
    if period_to < period_from:
        raise DomainError(
            gettext("承诺日期范围无效"),
            code="invalid_period",
            details=[field_error("period_to", "invalid_period", "应不早于起始日期")],
        )
    if kind not in CommitmentKind.values:
        raise DomainError(
            gettext("承诺类型无效"),
            code="invalid_kind",
            details=[field_error("kind", "invalid_choice", kind)],
        )
    # A person samples inside their jurisdiction; a command (system actor) names the region.
    user = as_actor(actor).user
    own = user_region_prefix(user) if user is not None else ""
    if own is None:
        raise NotAllowed(gettext("仅限市场监管部门工作人员"))
    prefix = own
    if region_code:
        try:
            wanted = region_prefix(region_code)
        except ValueError:
            raise DomainError(
                gettext("区划代码无效"),
                code="invalid_region",
                details=[field_error("region", "invalid_region", region_code)],
            )
        if not wanted.startswith(own):
            raise NotAllowed(gettext("只能在本辖区内抽取"))
        prefix = wanted
    seed = (seed or "").strip() or secrets.token_hex(16)
    if len(seed) > 64:
        raise DomainError(
            gettext("随机种子至多64个字符"),
            code="invalid_seed",
            details=[field_error("seed", "too_long", "≤64")],
        )
    open_ids = Verification.objects.filter(status__in=OPEN_STATUSES).values("commitment_id")
    candidates = list(
        CommitmentRecord.objects.filter(
            kind=kind,
            enterprise__isnull=False,
            enterprise__region_code__startswith=prefix,
            committed_on__gte=period_from,
            committed_on__lte=period_to,
            archived_at__isnull=True,
        )
        .exclude(id__in=open_ids)
        .values_list("id", flat=True)
    )
    if not candidates:
        raise DomainError(gettext("所选范围内没有可抽取的承诺"), code="empty_population")
    # hash-rank-v1, as for double-random draws: anyone holding the seed and the population
    # (the commitment ids) can recompute the sample.
    digest = hashrank.population_digest([str(i) for i in sorted(candidates)])
    n = math.ceil(pct * len(candidates) / 100)
    chosen = [int(i) for i in hashrank.select(seed, [str(i) for i in candidates], n)]
    who = as_actor(actor)
    sample = VerificationSample(
        department=department_of(actor),
        region_prefix=prefix,
        kind=kind,
        period_from=period_from,
        period_to=period_to,
        percent=pct,
        seed=seed,
        population=len(candidates),
        population_digest=digest,
        selected=len(chosen),
        drawn_at=timezone.now(),
    )
    sample.touch(who.label)
    sample.save()
    audit.record("commitments.sample.draw", sample, actor=who, after=audit.snapshot(sample))
    emit(
        EventType.VERIFICATION_SAMPLE_DRAWN,
        region_code=prefix.ljust(6, "0") if prefix else "",
        data=audit.jsonable(
            {
                "sample_id": sample.pk,
                "kind": kind,
                "percent": pct,
                "seed": seed,
                "population": len(candidates),
                "population_digest": digest,
                "selected": len(chosen),
            }
        ),
    )
    reason = f"随机抽取（{pct.normalize()}%，种子 {seed}）"
    for c in CommitmentRecord.objects.filter(id__in=chosen).select_related("enterprise").order_by("id"):
        _select(c, actor=actor, on=on, reason=reason, method=SelectionMethod.SAMPLE, sample=sample)
    return sample
