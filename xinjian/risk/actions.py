"""Every state change of risk classification (house rule: atomic, audited, evented)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinjian.core import audit, events
from xinjian.core.actors import as_actor
from xinjian.core.errors import Conflict, DomainError, InvalidTransition, field_error
from xinjian.core.events import EventType
from xinjian.core.workdays import today
from xinjian.core.workflow import Transition, Workflow
from xinjian.registry.models import Enterprise

from . import artefact, calibration
from .indicators import BY_CODE, indicators_for
from .models import (
    CLASSES,
    ClassBandRule,
    ModelVersion,
    ModelVersionTransition,
    RescoreMark,
    RiskModel,
    RunKind,
    ScoringRun,
    SupervisionMeasure,
    VersionMethod,
    VersionStatus,
)
from .scoring import Stopwatch, write_assessments

RESCORE_CONSUMER = "risk.rescore"
# Below this many ids per slice a full run is written in one statement (slicing costs each
# slice its own scan of the record tables).
SLICE_MIN_ENTERPRISES = 1000

# Records whose arrival or change can move an enterprise's class (the event log, read by
# the worker with its own cursor).
RESCORE_EVENTS = frozenset(
    {
        EventType.ENTERPRISE_REGISTERED,
        EventType.ENTERPRISE_CHANGED,
        EventType.KEY_AREA_TAGGED,
        EventType.KEY_AREA_UNTAGGED,
        EventType.LICENCE_GRANTED,
        EventType.LICENCE_CHANGED,
        EventType.LICENCE_CANCELLED,
        EventType.LICENCE_REVOKED,
        EventType.LICENCE_EXPIRED,
        EventType.PENALTY_RECORDED,
        EventType.PENALTY_CHANGED,
        EventType.PENALTY_WITHDRAWN,
        EventType.INSPECTION_RECORDED,
        EventType.COMPLAINT_RECORDED,
        EventType.ANNUAL_REPORT_FILED,
        EventType.LIST_DECISION_RECORDED,
        EventType.COMMITMENT_RECORDED,
        EventType.COMMITMENT_UNTRUE,
        EventType.LISTING_ADDED,
        EventType.LISTING_REMOVED,
        EventType.REPAIR_APPROVED,
    }
)


# A model version's life (architecture rule 2): drafted, activated (retiring the one in
# force), discarded if never used; a retired version is activated again to roll back. The
# actions write their own audit entries and events (the activation reports what it replaced).
VERSIONS = Workflow(
    "risk.version",
    ModelVersion,
    {
        "draft": Transition(
            [""], VersionStatus.DRAFT, _("生成草稿"), event=EventType.RISK_VERSION_DRAFTED, custom_event=True
        ),
        "activate": Transition(
            [VersionStatus.DRAFT, VersionStatus.RETIRED],
            VersionStatus.ACTIVE,
            _("启用"),
            event=EventType.RISK_VERSION_ACTIVATED,
            custom_event=True,
        ),
        "retire": Transition(
            [VersionStatus.ACTIVE],
            VersionStatus.RETIRED,
            _("由新版本替换"),
            event=EventType.RISK_VERSION_ACTIVATED,
            custom_event=True,
        ),
        "discard": Transition(
            [VersionStatus.DRAFT],
            VersionStatus.DISCARDED,
            _("弃用草稿"),
            event=EventType.RISK_VERSION_DISCARDED,
            custom_event=True,
        ),
    },
    history=ModelVersionTransition,
    link="version",
    audit_prefix="risk.version",
    actions_module="xinjian.risk.actions",
    detail_url="risk:version",
)


def _move(version: ModelVersion, action: str, *, actor: Any, reason: str) -> None:
    def stamp(before: str, after: str) -> None:
        if after == VersionStatus.ACTIVE:
            version.activated_at = timezone.now()

    VERSIONS.move(version, action, actor=actor, on=today(), reason=reason, audit=False, on_change=stamp)


@transaction.atomic
def set_draw_ratio(
    *,
    actor: Any,
    risk_class: str,
    ratio: Decimal,
    effective_from: dt.date,
    basis: str,
    province_code: str = "",
) -> SupervisionMeasure:
    """A new version of a class's default draw ratio (the one table of it, issue 11 §3),
    for a province ("" for the national default), from a date. The measures text and
    target share carry over from the version in force then."""
    details = []
    if risk_class not in CLASSES:
        details.append(field_error("risk_class", "invalid", risk_class))
    if not (Decimal(0) <= ratio <= Decimal(1)) or ratio.as_tuple().exponent < -4:  # type: ignore[operator]
        details.append(field_error("ratio", "out_of_range", gettext("抽查比例须在0到1之间，至多四位小数")))
    if province_code and not (
        len(province_code) == 6 and province_code.isdigit() and province_code.endswith("0000")
    ):
        details.append(field_error("province_code", "invalid", province_code))
    if not basis.strip():
        details.append(field_error("basis", "required", gettext("必填")))
    if details:
        raise DomainError(gettext("抽查比例不合法"), details=details)
    who = as_actor(actor)
    current = SupervisionMeasure.in_force(effective_from, province_code).get(risk_class)
    row, _created = SupervisionMeasure.objects.update_or_create(
        risk_class=risk_class,
        province_code=province_code,
        effective_from=effective_from,
        defaults={
            "draw_ratio": ratio,
            "measures": current.measures if current else "",
            "ratio_range": current.ratio_range if current else "",
            "target_share": current.target_share if current else None,
            "basis": basis.strip(),
            "entered_by": who.label,
        },
    )
    audit.record("risk.set_draw_ratio", row, actor=who, after=audit.snapshot(row))
    events.emit(
        EventType.RISK_DRAW_RATIO_CHANGED,
        data={
            "class": risk_class,
            "ratio": format(ratio.normalize(), "f"),
            "effective_from": effective_from.isoformat(),
            "province_code": province_code,
        },
    )
    return row


def _next_number(model: RiskModel) -> int:
    return (model.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def create_expert_version(model: RiskModel, *, actor: Any, activate: bool = True) -> ModelVersion:
    """The initial version before any history exists: the declared default bins and
    points of the model's indicators (indicators.py), marked as expert judgement."""

    spec = [
        {"code": i.code, "edges": [float(e) for e in i.edges], "points": list(i.default_points)}
        for i in indicators_for(model.code, model.key_area_domain)
    ]
    version = ModelVersion(
        model=model,
        number=_next_number(model),
        method=VersionMethod.EXPERT,
        base_points=420,
        spec=spec,
        created_by=as_actor(actor).label,
        note="专家初始赋分：未经历史数据校准，待检查结果积累后校准替换。",
    )
    _move(version, "draft", actor=actor, reason="专家初始版本")
    audit.record(
        "risk.version_drafted", version, actor=actor, after={"label": version.label, "method": "expert"}
    )
    if activate and model.active_version() is None:
        activate_version(version, actor=actor, reason="初始版本")
    return version


@transaction.atomic
def draft_version(model: RiskModel, *, actor: Any, train_snapshots: int = 2, note: str = "") -> ModelVersion:
    """Learn a new version from the inspection history and keep it as a draft with its
    validation report (calibration.py). Raises calibration.NotEnoughHistory."""
    fitted, windows, snaps = calibration.calibrate(model, train_snapshots=train_snapshots)
    version = ModelVersion(
        model=model,
        number=_next_number(model),
        method=VersionMethod.WOE_LOGIT,
        base_points=fitted.base_points,
        spec=fitted.spec,
        created_by=as_actor(actor).label,
        note=note,
        **windows,
    )
    report = calibration.validation_report(version, snaps, on=today())
    report["dropped"] = fitted.dropped
    report["target"] = {"code": fitted.target, "validation_auc": fitted.target_aucs}
    version.validation = report
    _move(version, "draft", actor=actor, reason=note or "历史数据校准")
    audit.record(
        "risk.version_drafted",
        version,
        actor=actor,
        after={
            "label": version.label,
            "auc": report["validation"].get("auc"),
            "lift": report["validation"]["draw"]["lift"],
        },
    )
    events.emit(
        EventType.RISK_VERSION_DRAFTED,
        data={"model": model.pk, "version": version.label, "auc": report["validation"].get("auc")},
    )
    return version


@transaction.atomic
def activate_version(version: ModelVersion, *, actor: Any, reason: str = "") -> ModelVersion:
    """Make `version` the one that scores; the version in force is retired. Activating a
    retired version is how a rollback happens."""
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    current = (
        ModelVersion.objects.select_for_update()
        .filter(model_id=version.model_id, status=VersionStatus.ACTIVE)
        .first()
    )
    if current is not None and current.pk == version.pk:
        raise InvalidTransition(f"版本 {version.label} 已经生效")
    missing = [item["code"] for item in version.spec if item["code"] not in BY_CODE]
    if missing:
        raise Conflict(f"版本 {version.label} 引用了已不存在的指标：{', '.join(missing)}")
    if current is not None:
        _move(current, "retire", actor=actor, reason=f"由 {version.label} 替换")
    _move(version, "activate", actor=actor, reason=reason)
    _apply_bands(version, actor=actor)
    audit.record(
        "risk.version_activated",
        version,
        actor=actor,
        reason=reason,
        before={"active": current.label if current else None},
        after={"active": version.label},
    )
    events.emit(
        EventType.RISK_VERSION_ACTIVATED,
        data={
            "model": version.model_id,
            "version": version.label,
            "replaced": current.label if current else None,
        },
    )
    if version.origin:
        _adopted(version, actor=actor, replaced=current)
    return version


def _apply_bands(version: ModelVersion, *, actor: Any) -> None:
    """Bands set by target shares at calibration take effect with the version, as a new
    band rule from today (a versioned rule change, audited); score bands stay otherwise."""
    bands = (version.validation or {}).get("bands") or {}
    chosen = (version.origin or {}).get("bands") or {}
    if chosen.get("choice") == "hub" and chosen.get("b_from") is not None:
        bands = {**chosen, "source": "hub"}  # an imported version adopting the hub's bands
    if bands.get("source") not in ("shares", "hub"):
        return
    on = today()
    current = ClassBandRule.in_force(version.model, on)
    new = (bands["b_from"], bands["c_from"], bands["d_from"])
    if (current.b_from, current.c_from, current.d_from) == new:
        return
    if bands["source"] == "hub":
        basis = f"采用 {version.origin.get('source_province')} 的 {version.origin.get('version')} 的分值区间"
    else:
        shares = "、".join(f"{c} {v:.0%}" for c, v in bands["shares"].items())
        basis = f"按目标占比（{shares}）随 {version.label} 校准"
    rule = ClassBandRule.objects.create(
        model=version.model,
        effective_from=on,
        b_from=new[0],
        c_from=new[1],
        d_from=new[2],
        basis=basis,
        entered_by=as_actor(actor).label,
    )
    audit.record(
        "risk.bands_changed",
        rule,
        actor=actor,
        reason=f"{version.label} 启用",
        before={"b_from": current.b_from, "c_from": current.c_from, "d_from": current.d_from},
        after={"b_from": new[0], "c_from": new[1], "d_from": new[2], "shares": bands.get("shares")},
    )


def _adopted(version: ModelVersion, *, actor: Any, replaced: ModelVersion | None) -> None:
    """An imported general model now scores here (ADR 0097): its origin on the record."""
    origin = version.origin
    audit.record(
        "risk.model_adopted",
        version,
        actor=actor,
        before={"active": replaced.label if replaced else None},
        after={
            "active": version.label,
            **{k: origin.get(k) for k in ("source_province", "version", "sha256")},
        },
    )
    events.emit(
        EventType.RISK_MODEL_ADOPTED,
        data={
            "model": version.model_id,
            "version": version.label,
            "hub_version": origin.get("version"),
            "source_province": origin.get("source_province"),
            "sha256": origin.get("sha256"),
            "bands": (origin.get("bands") or {}).get("choice"),
        },
    )


@transaction.atomic
def export_general_model(version: ModelVersion, *, actor: Any) -> tuple[str, bytes]:
    """The signed artefact of a version of the general model (file name, bytes), for other
    instances to adopt (ADR 0097). Nothing changes here but the audit trail and the log."""
    body = artefact.payload(version)
    data = artefact.sign(body, artefact.signing_key())
    digest = artefact.sha256(artefact.canonical(body))
    key = artefact.key_id(artefact.signing_key().public_key())
    audit.record(
        "risk.model_exported",
        version,
        actor=actor,
        after={"version": version.label, "sha256": digest, "key_id": key, "exported_at": body["exported_at"]},
    )
    events.emit(
        EventType.RISK_MODEL_EXPORTED,
        data={"model": version.model_id, "version": version.label, "sha256": digest, "key_id": key},
    )
    return artefact.filename(body, digest), data


BAND_CHOICES = ("own", "hub")


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


@transaction.atomic
def import_general_model(data: bytes, *, actor: Any, bands: str = "own", note: str = "") -> ModelVersion:
    """A signed artefact of another instance's general model becomes a draft version of
    this province's general model, validated on the province's own history; staff
    activate it through the version workflow. `bands`: "own" keeps the province's band
    choice (target shares set at activation, or its score bands); "hub" takes the hub's
    bands. Refused artefacts (artefact.ArtefactError) store nothing. Domain models are
    not touched."""
    if bands not in BAND_CHOICES:
        raise DomainError(
            gettext("分类区间选择不合法"),
            details=[field_error("bands", "invalid", gettext("须为 own 或 hub"))],
        )
    checked = artefact.read(data)
    model = RiskModel.objects.select_for_update().get(code=artefact.GENERAL)
    same = ModelVersion.objects.filter(model=model, origin__sha256=checked.sha256).first()
    if same is not None:
        raise Conflict(
            gettext("此模型文件已导入为 %(label)s") % {"label": same.label},
            code="already_imported",
            details=[field_error("file", "already_imported", same.label)],
        )
    hub_bands = checked.hub_bands
    if bands == "hub" and hub_bands.get("b_from") is None:
        raise DomainError(
            gettext("模型文件没有分类区间，只能沿用本省的分类区间"),
            details=[field_error("bands", "no_hub_bands", gettext("模型文件没有分类区间"))],
        )
    meta = checked.payload["version"]
    origin = {
        "source_province": checked.source_province,
        "version": checked.label,
        "method": meta.get("method"),
        "sha256": checked.sha256,
        "key_id": checked.key_id,
        "key_name": checked.key_name,
        "family": checked.codec.family,
        "exported_at": checked.payload.get("exported_at"),
        "hub_validation": checked.payload.get("validation") or {},
        "bands": {"choice": bands, **({k: hub_bands.get(k) for k in ("b_from", "c_from", "d_from")})}
        if bands == "hub"
        else {"choice": "own"},
        "hub_bands": hub_bands,
    }
    version = ModelVersion(
        model=model,
        number=_next_number(model),
        method=meta["method"],
        created_by=as_actor(actor).label,
        note=note or f"导入 {checked.source_province} 的 {checked.label}（{checked.sha256[:12]}）",
        trained_as_of=_day(meta.get("trained_as_of")),
        train_window_end=_day(meta.get("train_window_end")),
        origin=origin,
        **checked.fields,
    )
    report, windows = artefact.local_validation(
        version, on=today(), choice=bands, hub_bands=hub_bands, hub_label=checked.label
    )
    version.validation = report
    for k, v in windows.items():
        setattr(version, k, v)
    _move(version, "draft", actor=actor, reason=version.note)
    audit.record(
        "risk.model_imported",
        version,
        actor=actor,
        after={
            "label": version.label,
            "hub_version": checked.label,
            "source_province": checked.source_province,
            "sha256": checked.sha256,
            "key_id": checked.key_id,
            "bands": bands,
            "auc": (report.get("validation") or {}).get("auc"),
        },
    )
    events.emit(
        EventType.RISK_MODEL_IMPORTED,
        data={
            "model": model.pk,
            "version": version.label,
            "hub_version": checked.label,
            "source_province": checked.source_province,
            "sha256": checked.sha256,
            "bands": bands,
            "auc": (report.get("validation") or {}).get("auc"),
        },
    )
    return version


@transaction.atomic
def discard_version(version: ModelVersion, *, actor: Any, reason: str = "") -> ModelVersion:
    _move(version, "discard", actor=actor, reason=reason)
    audit.record("risk.version_discarded", version, actor=actor, reason=reason)
    events.emit(
        EventType.RISK_VERSION_DISCARDED,
        data={"model": version.model_id, "version": version.label, "reason": reason},
    )
    return version


def rollback(model: RiskModel, *, actor: Any, reason: str) -> ModelVersion:
    """Re-activate the version that was in force before the current one."""
    current = model.active_version()
    previous = (
        ModelVersion.objects.filter(model=model, status=VersionStatus.RETIRED)
        .exclude(activated_at__isnull=True)
        .order_by("-activated_at", "-number")
        .first()
    )
    if current is None or previous is None:
        raise Conflict("没有可以回退到的历史版本")
    return activate_version(previous, actor=actor, reason=reason or "回退")


def _score(
    version: ModelVersion,
    *,
    kind: str,
    as_of: dt.date,
    actor: Any,
    enterprise_ids: Sequence[int] | None = None,
) -> ScoringRun:
    watch = Stopwatch()
    slices = _slices() if kind == RunKind.FULL and enterprise_ids is None else []
    if len(slices) > 1:
        return _score_sliced(version, slices, as_of=as_of, actor=actor, watch=watch)
    with transaction.atomic():
        run = ScoringRun.objects.create(
            version=version, kind=kind, as_of=as_of, actor_label=as_actor(actor).label
        )
        bands = ClassBandRule.in_force(version.model, as_of)
        counts, changes = write_assessments(version, run.pk, as_of, bands, enterprise_ids=enterprise_ids)
        _finish(run, version, counts, changes, actor=actor, watch=watch)
    return run


def _finish(
    run: ScoringRun,
    version: ModelVersion,
    counts: dict[str, int],
    changes: int,
    *,
    actor: Any,
    watch: Stopwatch,
) -> None:
    run.counts, run.changes, run.assessed = counts, changes, sum(counts.values())
    run.finished_at = timezone.now()
    run.duration_ms = watch.ms()
    run.save(update_fields=["counts", "changes", "assessed", "finished_at", "duration_ms"])
    audit.record(
        "risk.scored",
        run,
        actor=actor,
        after={"version": version.label, "kind": run.kind, "assessed": run.assessed, "changes": changes},
    )
    events.emit(
        EventType.RISK_RUN_COMPLETED,
        data={
            "run": run.pk,
            "version": version.label,
            "kind": run.kind,
            "counts": counts,
            "changes": changes,
        },
    )


def _slices() -> list[tuple[int, int]]:
    """Contiguous id ranges of the register, one per slice of a full run. Only on
    PostgreSQL, and only outside a transaction: each slice commits on its own connection,
    which could not see the caller's uncommitted rows."""
    n = settings.XINJIAN_SCORING_SLICES
    if n <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    bounds = Enterprise.objects.aggregate(lo=Min("id"), hi=Max("id"))
    lo, hi = bounds["lo"], bounds["hi"]
    if lo is None or hi - lo + 1 < n * SLICE_MIN_ENTERPRISES:
        return []
    step = -(-(hi - lo + 1) // n)
    return [(lo + i * step, min(hi, lo + (i + 1) * step - 1)) for i in range(n)]


def _score_sliced(
    version: ModelVersion, slices: list[tuple[int, int]], *, as_of: dt.date, actor: Any, watch: Stopwatch
) -> ScoringRun:
    """A full run written by several statements at once, one per id range, each on its
    own connection (a thread each: Django gives every thread its own connection). The
    database scores the slices on separate cores, which one INSERT … SELECT cannot do
    (PostgreSQL plans no parallel workers for data-modifying statements). Each slice
    commits by itself: while the run lasts, readers see some enterprises with the new
    assessment and some with the previous one, each complete and consistent. The run is
    finished (counts, audit, event) only when every slice has committed."""
    run = ScoringRun.objects.create(
        version=version,
        kind=RunKind.FULL,
        as_of=as_of,
        actor_label=as_actor(actor).label,
        slices=len(slices),
    )
    bands = ClassBandRule.in_force(version.model, as_of)
    moment = timezone.now()

    def one(id_range: tuple[int, int]) -> tuple[dict[str, int], int]:
        try:
            with transaction.atomic():
                return write_assessments(version, run.pk, as_of, bands, id_range=id_range, assessed_at=moment)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(slices), thread_name_prefix="risk-slice") as pool:
        futures = [pool.submit(one, r) for r in slices]
        errors = [f.exception() for f in futures]
    failed = [e for e in errors if e is not None]
    if failed:
        ScoringRun.objects.filter(pk=run.pk).update(error="; ".join(repr(e) for e in failed)[:2000])
        raise failed[0]
    counts = {c: 0 for c in "ABCD"}
    changes = 0
    for future in futures:
        part, part_changes = future.result()
        for klass, count in part.items():
            counts[klass] += count
        changes += part_changes
    with transaction.atomic():
        _finish(run, version, counts, changes, actor=actor, watch=watch)
    return run


def score_all(
    *, actor: Any, as_of: dt.date | None = None, models: Iterable[str] | None = None
) -> list[ScoringRun]:
    """Classify every enterprise in scope with each model's active version (one run per
    model, each in its own transaction)."""
    as_of = as_of or today()
    started = timezone.now()
    runs = []
    for model in RiskModel.objects.all():
        if models is not None and model.code not in models:
            continue
        version = model.active_version()
        if version is None:
            continue
        runs.append(_score(version, kind=RunKind.FULL, as_of=as_of, actor=actor))
    if models is None:
        # Marks set before the run started are covered by it; later ones wait for the worker.
        RescoreMark.objects.filter(marked_at__lt=started).delete()
    return runs


def mark_for_rescore(batch: list[Any]) -> int:
    """Event-log handler: the enterprises named by record events need rescoring."""
    usccs = {e.uscc for e in batch if e.type in RESCORE_EVENTS and e.uscc}
    if not usccs:
        return 0
    ids = list(Enterprise.objects.filter(uscc__in=usccs).values_list("id", flat=True))
    RescoreMark.objects.bulk_create([RescoreMark(enterprise_id=i) for i in ids], ignore_conflicts=True)
    return len(ids)


def read_events(*, batch: int = 2000) -> int:
    """Advance the risk consumer over the event log, marking enterprises; returns the
    number of events read."""
    total = 0
    while True:
        n = events.consume(RESCORE_CONSUMER, mark_for_rescore, batch=batch)
        total += n
        if n < batch:
            return total


def rescore_marked(*, actor: Any, limit: int = 5000, as_of: dt.date | None = None) -> list[ScoringRun]:
    """Rescore the marked enterprises with every active model and clear their marks.
    Several workers may run side by side on PostgreSQL (SKIP LOCKED claims)."""
    as_of = as_of or today()
    runs: list[ScoringRun] = []
    with transaction.atomic():
        qs = RescoreMark.objects.order_by("marked_at", "enterprise_id")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("enterprise_id", flat=True)[:limit])
        if not ids:
            return runs
        for model in RiskModel.objects.all():
            version = model.active_version()
            if version is not None:
                runs.append(
                    _score(version, kind=RunKind.INCREMENTAL, as_of=as_of, actor=actor, enterprise_ids=ids)
                )
        RescoreMark.objects.filter(enterprise_id__in=ids).delete()
    return runs
