"""Inverse-probability weights for risk calibration (issue 17): an inspection the platform
drew stands for 1/ratio enterprises of its stratum, read from the draw it came from."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from xinjian.collection.models import Inspection
from xinjian.inspections import actions
from xinjian.inspections.models import InspectionItem
from xinjian.risk.calibration import snapshot
from xinjian.risk.indicators import BY_CODE

pytestmark = pytest.mark.django_db


def test_drawn_inspections_weigh_the_inverse_of_their_stratum_ratio(
    food_enterprises, inspector_factory, risk_classes, supervisor, food_task, inspector
):
    es = food_enterprises(8)
    for e in es[:4]:
        risk_classes[e.id] = "C"
    for e in es[4:]:
        risk_classes[e.id] = "B"
    inspector_factory(("food",), user=inspector)
    inspector_factory(("food",))
    task = food_task(ratios={"A": "0.5", "B": "0.5", "C": "1", "D": "1"}, items=("SC-K1",))
    actions.publish_task(task, actor=supervisor)
    draw = actions.draw_task(task, actor=supervisor)
    actions.start_inspections(task, actor=supervisor)
    item = InspectionItem.objects.get(code="SC-K1")
    targets = list(draw.targets.all())
    assert sorted(t.risk_class for t in targets) == ["B", "B", "C", "C", "C", "C"]
    for t in targets:
        actions.record_result(t, item, actor=inspector, inspected_on=dt.date(2026, 4, 1), result="no_problem")
    # A routine inspection collected from elsewhere: no draw recorded, weight 1.
    Inspection.objects.create(
        enterprise=es[5],
        uscc=es[5].uscc,
        source="elsewhere",
        source_id="R-1",
        inspected_on=dt.date(2026, 4, 2),
        inspected_by="南山区市场监督管理局",
        kind="routine",
        result="corrected",
    )
    snap = snapshot([BY_CODE["age_years"]], "", dt.date(2026, 3, 1), dt.date(2026, 5, 1))
    assert len(snap.rows) == 7
    by_class = {e.id: c for e, c in zip(es, ["C"] * 4 + ["B"] * 4, strict=True)}
    weights: dict[str, list[float]] = {"B": [], "C": [], "none": []}
    for row, w, y in zip(snap.rows, snap.w, snap.y, strict=True):
        eid = snap.enterprise_ids[row]
        key = "none" if y == 1 else by_class[eid]
        weights[key].append(float(w))
    # Inverse ratios 2 (B) and 1 (C), scaled so the six drawn inspections average 1.
    assert weights["B"] == pytest.approx([1.5, 1.5])
    assert weights["C"] == pytest.approx([0.75] * 4)
    assert weights["none"] == [1.0]
    assert float(np.mean(weights["B"] + weights["C"])) == pytest.approx(1.0)
