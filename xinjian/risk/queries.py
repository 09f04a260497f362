"""Reads other apps use. Risk classes are internal (Risk Opinions; domain.md §5): callers
are staff pages behind Perm.VIEW_RISK and API clients with scope `risk`, never public."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import F

from xinjian.registry.models import Enterprise

from .models import CLASSES, Assessment, RiskModel, SupervisionMeasure
from .scoring import reasons

GENERAL = "general"


def current_class_map(enterprise_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Enterprise id → "A".."D" from the latest assessment by the applicable model: the
    domain model's class when the enterprise carries an active tag of that domain (the
    worse one when it carries two), else the general model's. Missing = not assessed."""
    ids = list(enterprise_ids) if enterprise_ids is not None else None
    general = Assessment.objects.filter(model_id=GENERAL)
    domain = Assessment.objects.exclude(model_id=GENERAL).filter(
        enterprise__key_area_tags__active=True,
        enterprise__key_area_tags__type__domain=F("model__key_area_domain"),
    )
    if ids is not None:
        general = general.filter(enterprise_id__in=ids)
        domain = domain.filter(enterprise_id__in=ids)
    result = dict(general.values_list("enterprise_id", "risk_class").iterator(chunk_size=10000))
    domain_classes: dict[int, str] = {}
    for eid, klass in domain.values_list("enterprise_id", "risk_class").distinct().iterator(chunk_size=10000):
        if klass > domain_classes.get(eid, ""):
            domain_classes[eid] = klass
    result.update(domain_classes)
    return result


def applicable_assessments(enterprise: Enterprise) -> list[Assessment]:
    """The enterprise's assessments, the applicable one first: domain models for the
    domains it is tagged with, then the general model."""
    domains = set(enterprise.key_area_tags.filter(active=True).values_list("type__domain", flat=True))
    rows = list(
        Assessment.objects.filter(enterprise=enterprise).select_related("model", "version", "version__model")
    )
    applicable = [a for a in rows if a.model.key_area_domain in domains]
    applicable.sort(key=lambda a: a.risk_class, reverse=True)
    general = [a for a in rows if a.model_id == GENERAL]
    return applicable + general


def describe(assessment: Assessment) -> dict[str, Any]:
    return {
        "model": assessment.version.label,
        "model_name": assessment.model.name,
        "class": assessment.risk_class,
        "score": assessment.score,
        "base_points": assessment.version.base_points,
        "assessed_at": assessment.assessed_at,
        "as_of": assessment.as_of,
        "reasons": reasons(assessment.version, assessment.indicator_values, assessment.indicator_points),
    }


def enterprise_risk(enterprise: Enterprise) -> dict[str, Any] | None:
    """What the staff page and the API show: the applicable class with its reasons, and
    the other models' results beside it."""
    rows = applicable_assessments(enterprise)
    if not rows:
        return None
    main = describe(rows[0])
    main["others"] = [describe(a) for a in rows[1:]]
    return main


def models_overview() -> list[RiskModel]:
    return list(RiskModel.objects.prefetch_related("versions", "band_rules"))


# Used only when the measures table has no row for a class (it is seeded by migration).
DRAW_RATIO_DEFAULTS = {"A": Decimal("0.01"), "B": Decimal("0.02"), "C": Decimal("0.10"), "D": Decimal("0.30")}


def draw_ratios(on: dt.date, region_code: str) -> dict[str, Decimal]:
    """The default share of each class drawn in a double-random task on `on`, for the
    province of `region_code` (its own rows first, then the national ones): the one source
    of the per-class draw ratio (issue 11 §3)."""
    measures = SupervisionMeasure.in_force(on, region_code)
    return {c: measures[c].draw_ratio if c in measures else DRAW_RATIO_DEFAULTS[c] for c in CLASSES}
