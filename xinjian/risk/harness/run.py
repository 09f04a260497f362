"""Load a synthetic province through the public ingest API and measure each model family
against its hidden truth (issue 17).

What is measured, on the out-of-time validation snapshot (indicator values as of T1 =
last inspection − 12 months; models trained on the yearly snapshots before it):
- AUC share: (AUC − 0.5) / (AUC of the hidden propensity − 0.5), the AUC being the
  expected one over every enterprise (each is a problem with probability p, clean with
  1 − p), so it is neither noisy nor biased by whom the inspectors chose to visit;
- lift share: (lift − 1) / (lift of the truth − 1), the lift being that of a
  class-weighted draw (ratios per class, the rule data's defaults) over a uniform draw of
  the same size, classes set by target shares — for the truth, the same shares of p;
- D/A: the expected problem rate of class D over that of class A.

`evaluate(..., weights=False)` trains the families with every inspection weighing 1 (the
inverse-probability weights from recorded draws switched off), to measure what they do.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from dateutil.relativedelta import relativedelta
from django.test import Client
from sklearn.metrics import roc_auc_score

from xinjian.registry.models import Enterprise

from ..calibration import WINDOW_MONTHS, history_bounds, snapshot
from ..indicators import Indicator, indicators_for
from ..learners import FAMILIES, fit_family
from .worlds import DRAW_RATIOS, REGIONS, Province

INGEST_ORDER = (
    "enterprises",
    "licences",
    "inspections",
    "penalties",
    "complaints",
    "annual-reports",
    "list-decisions",
)
# Class shares used to compare models with the truth (A, B, C, D) and the draw ratios.
SHARES = {"A": 0.45, "B": 0.30, "C": 0.17, "D": 0.08}
RATIOS = {"A": 0.01, "B": 0.02, "C": 0.10, "D": 0.30}


class LoadError(Exception):
    pass


def load(province: Province, token: str, *, batch: int = 5000) -> dict[str, int]:
    """POST every record through /api/v1/ingest/{kind}; any rejection is an error."""
    client = Client()
    counts: dict[str, int] = {}
    for kind in INGEST_ORDER:
        recs = province.records[kind]
        for k in range(0, len(recs), batch):
            body = json.dumps({"records": recs[k : k + batch]})
            resp = client.post(
                f"/api/v1/ingest/{kind}",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            if resp.status_code != 200:
                raise LoadError(f"{kind}: HTTP {resp.status_code} {resp.content[:300]!r}")
            out = resp.json()
            if out["rejected"]:
                raise LoadError(f"{kind}: rejected {out['rejected'][:3]}")
        counts[kind] = len(recs)
    if province.draw_dates():
        counts["drawn"] = run_draws(province)
    return counts


def run_draws(province: Province) -> int:
    """A drawn world's inspections, through the inspections app as the platform records
    them: for every draw date, the general model classifies every enterprise as of that
    date (its active version, `score_all`), then in each region a task with the world's
    per-class ratios is created, published, drawn (`draw_task`: hash-rank draw per risk
    class, inspectors assigned) and started, and the result of every target is recorded
    (`record_result`) within 60 days — a problem found with the hidden propensity, as in
    the history. Targets registered after their inspection date are left unvisited.
    Returns the number of results recorded."""
    from xinjian.core.actors import Actor
    from xinjian.inspections import actions as ia
    from xinjian.inspections.models import InspectionItem
    from xinjian.registry.departments import department_for

    from .. import actions

    actor = Actor("system:harness")
    item = InspectionItem.objects.get(code="SC-01")
    departments = {r: department_for(r) for r in REGIONS}
    for region, dept in departments.items():
        if dept is None:
            raise LoadError(f"no department for region {region}")
        for k in range(2):
            ia.add_inspector(
                actor=actor,
                department=dept,
                name=f"抽查员{region}{k}",
                badge_no=f"{region}99{k:04d}",
                qualifications=[item.qualification],
            )
    plans: dict[tuple[str, int], Any] = {}
    recorded = 0
    for n, on in enumerate(province.draw_dates()):
        actions.score_all(actor=actor, as_of=on, models=["general"])
        rng = np.random.default_rng([province.seed, 17, n])
        for region, dept in departments.items():
            assert dept is not None
            if (region, on.year) not in plans:
                plans[region, on.year] = ia.create_plan(
                    actor=actor, department=dept, year=on.year, title=f"{on.year}年度风险分类抽查计划"
                )
            task = ia.create_task(
                plans[region, on.year],
                actor=actor,
                title=f"{on.isoformat()} 分类抽查",
                region_code=region,
                items=[item],
                ratios=dict(DRAW_RATIOS),
                starts_on=on,
                ends_on=on + dt.timedelta(days=60),
            )
            ia.publish_task(task, actor=actor)
            draw = ia.draw_task(task, actor=actor)
            ia.start_inspections(task, actor=actor)
            for target in draw.targets.select_related("enterprise").order_by("id"):
                inspected_on = on + dt.timedelta(days=int(rng.integers(0, 61)))
                bad = province.problem_found(rng, target.uscc)
                established = target.enterprise.established_on
                if established is not None and established > inspected_on:
                    continue
                ia.record_result(
                    target,
                    item,
                    actor=actor,
                    inspected_on=inspected_on,
                    result=str(rng.choice(["corrected", "follow_up"])) if bad else "no_problem",
                )
                recorded += 1
    return recorded


def expected_auc(score: np.ndarray, p: np.ndarray) -> float:
    y = np.concatenate([np.ones(len(p)), np.zeros(len(p))])
    return float(roc_auc_score(y, np.concatenate([score, score]), sample_weight=np.concatenate([p, 1 - p])))


def classes_by_share(score: np.ndarray, shares: dict[str, float] = SHARES) -> np.ndarray:
    order = np.argsort(score, kind="stable")
    out = np.empty(len(score), dtype="<U1")
    start = 0
    cum = 0.0
    for c, share in shares.items():
        cum += share
        end = len(score) if c == list(shares)[-1] else int(round(cum * len(score)))
        out[order[start:end]] = c
        start = end
    return out


def draw_figures(classes: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(lift of the class-weighted draw, D/A) with expected problem rates."""
    draws = sum(float((classes == c).sum()) * RATIOS[c] for c in RATIOS)
    found = sum(float(p[classes == c].sum()) * RATIOS[c] for c in RATIOS)
    lift = found / (draws * float(p.mean()))
    rate = {c: float(p[classes == c].mean()) if (classes == c).any() else 0.0 for c in RATIOS}
    return lift, (rate["D"] / rate["A"] if rate["A"] else float("inf"))


@dataclass
class Result:
    world: str
    family: str
    auc: float
    auc_share: float
    lift: float
    lift_share: float
    d_over_a: float
    seconds: float
    params: dict[str, Any]


def _snapshots(inds: list[Indicator], train_snapshots: int) -> tuple[list[Any], Any]:
    bounds = history_bounds()
    if bounds is None:
        raise LoadError("no inspections")
    _lo, hi = bounds
    window = relativedelta(months=WINDOW_MONTHS)
    t1 = hi - window
    train = [
        snapshot(inds, "", t, t + window)
        for t in sorted(t1 - window * (k + 1) for k in range(train_snapshots))
    ]
    valid = snapshot(inds, "", t1, hi)
    return train, valid


def evaluate(
    province: Province,
    families: Iterable[str] = (*FAMILIES, "platform"),
    *,
    train_snapshots: int = 2,
    indicators: Sequence[Indicator] | None = None,
    targets: Sequence[str] | None = None,
    weights: bool = True,
) -> list[Result]:
    inds = list(indicators or indicators_for("general"))
    train, valid = _snapshots(inds, train_snapshots)
    if not weights:
        for s in train:
            s.w = np.ones(len(s.rows))
    uscc = dict(Enterprise.objects.filter(pk__in=valid.enterprise_ids).values_list("pk", "uscc"))
    p = np.asarray([province.truth[uscc[eid]] for eid in valid.enterprise_ids])
    truth_auc = expected_auc(p, p)
    truth_lift, truth_da = draw_figures(classes_by_share(p), p)
    results = [
        Result(province.world.name, "truth", truth_auc, 1.0, truth_lift, 1.0, truth_da, 0.0, {}),
    ]
    for family in families:
        if family == "platform":
            if not weights:  # the platform's calibration always weighs by the recorded draws
                continue
            results.append(platform_result(province, valid, p, truth_auc, truth_lift))
            continue
        started = time.monotonic()
        fitted = fit_family(family, inds, train, targets)
        score = fitted.predict(valid.X)
        auc = expected_auc(score, p)
        classes = classes_by_share(score)
        lift, da = draw_figures(classes, p)
        if fitted.model is not None:
            fitted.params.update(_explained(inds, fitted.model, valid.X, score, classes))
        results.append(
            Result(
                province.world.name,
                family,
                auc,
                (auc - 0.5) / (truth_auc - 0.5),
                lift,
                (lift - 1) / (truth_lift - 1),
                da,
                time.monotonic() - started,
                {**fitted.params, "kept": len(fitted.kept)},
            )
        )
    return results


def _explained(
    inds: Sequence[Indicator], model: Any, X: np.ndarray, score: np.ndarray, classes: np.ndarray
) -> dict[str, Any]:
    """Reasons of the boosted model: the share of class D with at least one reason (a
    positive contribution) and the reasons of the riskiest enterprise, in Chinese."""
    from django.utils import translation

    from ..contributions import contributions, reasons

    d = np.flatnonzero(classes == "D")
    _base, phi = contributions(model, X[d])
    top = int(np.argmax(score[d])) if len(d) else 0
    with translation.override("zh-hans"):
        example = [r["text"] for r in reasons(inds, X[d][top], phi[top])] if len(d) else []
    return {
        "d_with_reasons": round(float((phi.max(axis=1) > 0).mean()), 3) if len(d) else None,
        "reasons_of_riskiest": example,
    }


def platform_result(
    province: Province, valid: Any, p: np.ndarray, truth_auc: float, truth_lift: float
) -> Result:
    """The platform end to end: `calibrate --activate` (draft + activate the general model,
    bands by the target shares in force) and a full `score` as of the validation date; the
    stored assessments are what is judged."""
    from xinjian.core.actors import Actor
    from xinjian.core.workdays import today

    from .. import actions
    from ..models import Assessment, ClassBandRule, RiskModel

    started = time.monotonic()
    actor = Actor("system:harness")
    version = actions.draft_version(RiskModel.objects.get(code="general"), actor=actor)
    actions.activate_version(version, actor=actor, reason="harness")
    actions.score_all(
        actor=actor,
        as_of=dt.date.fromisoformat(version.validation["validation"]["as_of"]),
        models=["general"],
    )
    stored = dict(Assessment.objects.filter(model_id="general").values_list("enterprise_id", "score"))
    score = np.asarray([stored[eid] for eid in valid.enterprise_ids], dtype=float)
    # The stored scores are as of the validation date, but the bands the activation set
    # take effect from today: a past-dated run classifies with the rule of its date, so the
    # classes judged are those the rule in force now gives the stored scores.
    rule = ClassBandRule.in_force("general", today())
    classes = np.asarray([rule.classify(int(s)) for s in score])
    auc = expected_auc(score, p)
    lift, da = draw_figures(classes, p)
    shares = {c: round(float((classes == c).mean()), 3) for c in RATIOS}
    # Ties in scorecard scores keep the realised shares off the targets, and a lift depends
    # on the shares: the truth's achievable lift is taken at the same realised shares.
    truth_lift, _ = draw_figures(classes_by_share(p, {c: float((classes == c).mean()) for c in RATIOS}), p)
    return Result(
        province.world.name,
        "platform",
        auc,
        (auc - 0.5) / (truth_auc - 0.5),
        lift,
        (lift - 1) / (truth_lift - 1),
        da,
        time.monotonic() - started,
        {"version": version.label, "shares": shares},
    )


def table(results: Sequence[Result]) -> str:
    head = f"{'world':<18} {'model':<8} {'AUC':>6} {'AUC share':>9} {'lift':>5} {'lift share':>10} {'D/A':>6}  fit"
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.world:<18} {r.family:<8} {r.auc:6.3f} {r.auc_share:9.0%} {r.lift:5.2f} {r.lift_share:10.0%} "
            f"{r.d_over_a:6.1f}  {r.seconds:.1f}s"
        )
    return "\n".join(lines)


def worst(results: Sequence[Result]) -> str:
    lines = ["worst world per model:"]
    for family in dict.fromkeys(r.family for r in results if r.family != "truth"):
        rs = [r for r in results if r.family == family]
        a = min(rs, key=lambda r: r.auc_share)
        b = min(rs, key=lambda r: r.lift_share)
        c = min(rs, key=lambda r: r.d_over_a)
        lines.append(
            f"  {family:<8} AUC share {a.auc_share:.0%} ({a.world}), lift share {b.lift_share:.0%} ({b.world}), "
            f"D/A {c.d_over_a:.1f} ({c.world})"
        )
    return "\n".join(lines)
