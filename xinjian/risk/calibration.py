"""Learning points from history (domain.md §7: the classification keeps getting more
scientific) and measuring a model against what inspections later found.

Method — a binned logistic-regression scorecard (WOE scorecard):
1. Snapshots: indicator values of every enterprise in scope as of a date T (SQL, the
   same aggregation that scoring uses); outcome rows are the inspections in (T, T+12m],
   label 1 when the inspection found a problem (collection.PROBLEM_RESULTS).
2. Training uses snapshots before the validation snapshot; validation uses the later
   period (out of time): as of T1 = last inspection − 12 months, outcomes (T1, T1+12m].
3. Bins start from the declared candidate edges; sparse bins are merged into a
   neighbour, and where the direction of risk is declared, adjacent bins are pooled until
   the weight of evidence is monotonic in that direction.
4. Logistic regression (scikit-learn) on the WOE features; an indicator whose
   coefficient comes out negative (collinearity) is dropped and the fit repeated.
5. Points per bin = FACTOR · β · WOE, shifted so the lowest-risk bin is 0 (scoring.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from xinjian.collection.models import PROBLEM_RESULTS, Complaint, Inspection, InspectionResult, Penalty

from .indicators import BY_CODE, Indicator, indicators_for
from .models import CLASSES, ClassBandRule, ModelVersion, RiskModel, ScoringRun, SupervisionMeasure
from .scoring import FACTOR, OFFSET, indicator_matrix, score_rows

WINDOW_MONTHS = 12
MIN_BIN_SHARE = 0.01
MIN_BIN_ROWS = 20


class NotEnoughHistory(Exception):
    pass


# Targets (issue 17): what a model learns to predict. Every outcome the law counts is
# collected per enterprise in the outcome window; a target says which rows are learned from.
TARGETS: dict[str, Any] = {
    # One row per inspection in the window: 1 when it found a problem (PROBLEM_RESULTS,
    # which include failed sampling and failed equipment tests).
    "inspection": _("检查发现问题（含抽检、检验不合格）"),
    # One row per enterprise in scope: 1 when in the window an inspection found a problem,
    # a sample or test failed, a complaint was substantiated or a penalty was decided —
    # outcomes that reach enterprises nobody chose to inspect.
    "any_outcome": _("任一不良结果（检查发现问题、抽检不合格、投诉举报查证属实、行政处罚）"),
}
OUTCOMES: dict[str, Any] = {
    "problem": _("检查发现问题"),
    "failed_test": _("抽检、检验不合格"),
    "complaint": _("投诉举报查证属实"),
    "penalty": _("行政处罚"),
}
_FAILED_TESTS = {str(InspectionResult.SAMPLE_UNQUALIFIED), str(InspectionResult.TEST_UNQUALIFIED)}


@dataclass
class Snapshot:
    as_of: dt.date
    window_end: dt.date
    enterprise_ids: list[int]
    X: np.ndarray  # enterprises × indicators
    rows: np.ndarray  # per inspection: index into enterprise_ids
    y: np.ndarray  # per inspection: 1 = problem found
    enterprise_y: np.ndarray  # per enterprise: -1 not inspected, 0 clean, 1 a problem found
    # Per inspection: its inverse-probability weight. An inspection the platform drew in a
    # stratum with ratio r stands for 1/r enterprises of its class; weights are scaled so
    # the drawn inspections average 1. Inspections without a recorded draw weigh 1.
    w: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Per enterprise: how many of each outcome (OUTCOMES) fell in the window.
    outcomes: dict[str, np.ndarray] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)  # the indicator of each column of X

    def training(self, target: str = "inspection") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row → enterprise index, label, weight) of the rows `target` learns from."""
        if target == "inspection":
            w = self.w if len(self.w) == len(self.rows) else np.ones(len(self.rows))
            return self.rows, self.y, w
        if target == "any_outcome":
            n = len(self.enterprise_ids)
            bad = np.zeros(n, dtype=bool)
            for counts in self.outcomes.values():
                bad |= counts > 0
            return np.arange(n), bad.astype(int), np.ones(n)
        raise ValueError(f"unknown target {target!r}")


def snapshot(inds: list[Indicator], key_area_domain: str, as_of: dt.date, window_end: dt.date) -> Snapshot:
    ids, matrix = indicator_matrix(inds, as_of, key_area_domain=key_area_domain)
    index = {eid: n for n, eid in enumerate(ids)}
    rows, ys, inv = [], [], []
    ent_y = np.full(len(ids), -1, dtype=int)
    outcomes = {k: np.zeros(len(ids), dtype=int) for k in OUTCOMES}
    problems = {str(p) for p in PROBLEM_RESULTS}
    qs = Inspection.objects.filter(
        enterprise_id__isnull=False,
        archived_at__isnull=True,
        inspected_on__gt=as_of,
        inspected_on__lte=window_end,
    ).values_list("enterprise_id", "result", "task_result__target__stratum__ratio")
    for eid, result, ratio in qs.iterator(chunk_size=20000):
        n = index.get(eid)
        if n is None:
            continue
        bad = int(result in problems)
        rows.append(n)
        ys.append(bad)
        inv.append(1.0 / float(ratio) if ratio else 0.0)
        ent_y[n] = max(ent_y[n], bad)
        outcomes["problem"][n] += bad
        outcomes["failed_test"][n] += int(result in _FAILED_TESTS)
    window = {"__gt": as_of, "__lte": window_end}
    others = (
        ("complaint", Complaint.objects.filter(substantiated=True), "received_on"),
        ("penalty", Penalty.objects.filter(status="in_force"), "decided_on"),
    )
    for code, base, day in others:
        qs2 = base.filter(
            enterprise_id__isnull=False, archived_at__isnull=True, **{day + k: v for k, v in window.items()}
        ).values_list("enterprise_id", flat=True)
        for eid in qs2.iterator(chunk_size=20000):
            n = index.get(eid)
            if n is not None:
                outcomes[code][n] += 1
    X = np.asarray(matrix, dtype=float).reshape(len(ids), len(inds))
    return Snapshot(
        as_of,
        window_end,
        ids,
        X,
        np.asarray(rows, dtype=int),
        np.asarray(ys, dtype=int),
        ent_y,
        ipw(np.asarray(inv, dtype=float)),
        outcomes,
        [i.code for i in inds],
    )


def ipw(inverse_ratios: np.ndarray) -> np.ndarray:
    """Row weights from the inverse draw ratios (0 where no draw was recorded): drawn rows
    get 1/r scaled to average 1, the others 1."""
    w = np.ones(len(inverse_ratios))
    drawn = inverse_ratios > 0
    if drawn.any():
        w[drawn] = inverse_ratios[drawn] / inverse_ratios[drawn].mean()
    return w


def _bin_index(values: np.ndarray, edges: list[float]) -> np.ndarray:
    idx = np.zeros(len(values), dtype=int)
    for i, lower in enumerate(edges):
        idx[values >= lower] = i
    return idx


def _woe(bad: np.ndarray, good: np.ndarray) -> np.ndarray:
    B, G = bad.sum(), good.sum()
    return np.log((bad + 0.5) / (B + 0.5)) - np.log((good + 0.5) / (G + 0.5))


def fit_bins(
    values: np.ndarray, y: np.ndarray, edges: list[float], direction: int, w: np.ndarray | None = None
) -> list[float]:
    """Merge candidate bins: too sparse ones into a neighbour, then (known direction)
    adjacent pairs that break monotonicity, until neither happens. Sparseness counts rows;
    the weight of evidence uses the row weights."""
    edges = list(edges)
    w = np.ones(len(values)) if w is None else w
    min_rows = max(MIN_BIN_ROWS, int(MIN_BIN_SHARE * len(values)))
    while len(edges) > 1:
        idx = _bin_index(values, edges)
        n = np.bincount(idx, minlength=len(edges))
        wn = np.bincount(idx, weights=w, minlength=len(edges))
        bad = np.bincount(idx, weights=w * y, minlength=len(edges))
        sparse = [i for i in range(len(edges)) if n[i] < min_rows]
        if sparse:
            i = sparse[-1]
            # Merge into the lower neighbour (drop this bin's lower bound); the first bin
            # merges upward (drop the next bound).
            edges.pop(i if i > 0 else 1)
            continue
        if direction == 0:
            break
        woe = _woe(bad, wn - bad) * direction
        broken = [i for i in range(1, len(edges)) if woe[i] <= woe[i - 1]]
        if not broken:
            break
        edges.pop(broken[0])
    return edges


@dataclass
class Fitted:
    spec: list[dict[str, Any]]
    base_points: int
    dropped: list[str]
    target: str = "inspection"
    # Out-of-time AUC of each target tried (learners.choose_target), when there was a choice.
    target_aucs: dict[str, float] = field(default_factory=dict)


def training_rows(snaps: Sequence[Snapshot], target: str = "inspection") -> tuple[np.ndarray, ...]:
    """(X, y, w) of the rows `target` learns from, over several snapshots."""
    parts = [s.training(target) for s in snaps]
    X = np.vstack([s.X[rows] for s, (rows, _y, _w) in zip(snaps, parts, strict=True)])
    return X, np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts])


def fit(inds: list[Indicator], train: list[Snapshot], target: str = "inspection") -> Fitted:
    X, y, w = training_rows(train, target)
    if len(y) < 100 or y.sum() < 10 or (len(y) - y.sum()) < 10:
        raise NotEnoughHistory(f"训练期内检查记录不足（{len(y)} 条，其中发现问题 {int(y.sum())} 条）")
    binned: list[dict[str, Any]] = []
    for j, ind in enumerate(inds):
        edges = fit_bins(X[:, j], y, list(ind.edges), ind.direction, w)
        idx = _bin_index(X[:, j], edges)
        n = np.bincount(idx, weights=w, minlength=len(edges))
        bad = np.bincount(idx, weights=w * y, minlength=len(edges))
        woe = _woe(bad, n - bad)
        binned.append({"edges": edges, "woe": woe, "idx": idx, "n": n, "bad": bad})
    active = [j for j, b in enumerate(binned) if len(b["edges"]) > 1]
    dropped = [inds[j].code for j, b in enumerate(binned) if len(b["edges"]) <= 1]
    coef = {j: 0.0 for j in range(len(inds))}
    intercept = math.log(((w * y).sum() + 0.5) / ((w * (1 - y)).sum() + 0.5))
    # scikit-learn (and scipy under it) is imported where it is used: ~2 s that every
    # process start paid, since the clocks import this module (ADR 0067).
    from sklearn.linear_model import LogisticRegression

    while active:
        W = np.column_stack([binned[j]["woe"][binned[j]["idx"]] for j in active])
        lr = LogisticRegression(C=1.0, max_iter=2000)
        lr.fit(W, y, sample_weight=w)
        negative = [active[k] for k, c in enumerate(lr.coef_[0]) if c <= 0]
        if negative:
            dropped += [inds[j].code for j in negative]
            active = [j for j in active if j not in negative]
            continue
        intercept = float(lr.intercept_[0])
        coef.update({j: float(c) for j, c in zip(active, lr.coef_[0], strict=True)})
        break
    spec, base = [], OFFSET + FACTOR * intercept
    for j, ind in enumerate(inds):
        b = binned[j]
        raw = FACTOR * coef[j] * b["woe"]
        shift = float(raw.min())
        base += shift
        points = [int(round(p - shift)) for p in raw]
        spec.append(
            {
                "code": ind.code,
                "edges": [float(e) for e in b["edges"]],
                "points": points,
                "woe": [round(float(w), 4) for w in b["woe"]],
                "coef": round(coef[j], 4),
                "counts": [[int(c), int(bd)] for c, bd in zip(b["n"], b["bad"], strict=True)],
            }
        )
    return Fitted(spec, int(round(base)), dropped, target)


def _psi(expected: dict[str, int], actual: dict[str, int]) -> float | None:
    te, ta = sum(expected.values()), sum(actual.values())
    if not te or not ta:
        return None
    total = 0.0
    for c in CLASSES:
        e = max(expected.get(c, 0) / te, 1e-4)
        a = max(actual.get(c, 0) / ta, 1e-4)
        total += (a - e) * math.log(a / e)
    return round(total, 4)


def evaluate(
    version: ModelVersion, snap: Snapshot, bands: ClassBandRule, measures: dict[str, SupervisionMeasure]
) -> dict[str, Any]:
    """Discrimination, problem-discovery rate by class and the lift of a class-weighted
    draw, for one version on one snapshot."""
    scores = np.asarray(score_rows(version, snap.X), dtype=float)
    classes = np.asarray([bands.classify(int(s)) for s in scores])
    out: dict[str, Any] = {
        "as_of": snap.as_of.isoformat(),
        "window_end": snap.window_end.isoformat(),
        "enterprises": len(snap.enterprise_ids),
        "inspections": int(len(snap.y)),
        "problems": int(snap.y.sum()),
    }
    population = {c: int((classes == c).sum()) for c in CLASSES}
    out["population"] = population
    if len(snap.y) and 0 < snap.y.sum() < len(snap.y):
        from sklearn.metrics import roc_auc_score, roc_curve

        row_scores = scores[snap.rows]
        out["auc"] = round(float(roc_auc_score(snap.y, row_scores)), 4)
        fpr, tpr, _ = roc_curve(snap.y, row_scores)
        out["ks"] = round(float(np.max(tpr - fpr)), 4)
        keep = np.linspace(0, len(fpr) - 1, num=min(len(fpr), 40)).astype(int)
        out["roc"] = [[round(float(fpr[k]), 3), round(float(tpr[k]), 3)] for k in keep]
    row_classes = classes[snap.rows] if len(snap.rows) else np.asarray([])
    by_class: dict[str, dict[str, Any]] = {}
    for c in CLASSES:
        mask = row_classes == c
        n = int(mask.sum())
        bad = int(snap.y[mask].sum()) if n else 0
        inspected = snap.enterprise_y[(classes == c) & (snap.enterprise_y >= 0)]
        by_class[c] = {
            "inspections": n,
            "problems": bad,
            "rate": round(bad / n, 4) if n else None,
            "inspected_enterprises": int(len(inspected)),
            "enterprise_rate": round(float(inspected.mean()), 4) if len(inspected) else None,
        }
    out["by_class"] = by_class
    rate_a, rate_d = by_class["A"]["rate"], by_class["D"]["rate"]
    out["d_over_a"] = round(rate_d / rate_a, 2) if rate_a and rate_d is not None else None
    rates = [by_class[c]["rate"] for c in CLASSES if by_class[c]["rate"] is not None]
    out["rises_a_to_d"] = all(b >= a for a, b in zip(rates, rates[1:], strict=False)) and len(rates) == 4
    # A class-weighted draw takes the per-class ratio of each class (rule data); a uniform
    # draw of the same size takes the same number at random from everyone. Expected
    # problems found = draws × the enterprise-level problem rate observed in each class.
    draws = {c: population[c] * float(measures[c].draw_ratio) if c in measures else 0.0 for c in CLASSES}
    erate = {c: by_class[c]["enterprise_rate"] or 0.0 for c in CLASSES}
    total_pop = sum(population.values())
    weighted = sum(draws[c] * erate[c] for c in CLASSES)
    overall = sum(population[c] * erate[c] for c in CLASSES) / total_pop if total_pop else 0.0
    uniform = sum(draws.values()) * overall
    out["draw"] = {
        "size": round(sum(draws.values()), 1),
        "weighted_problems": round(weighted, 1),
        "uniform_problems": round(uniform, 1),
        "lift": round(weighted / uniform, 2) if uniform else None,
        "ratios": {c: float(measures[c].draw_ratio) for c in measures},
    }
    out["calibration"] = calibration_curve(scores[snap.rows], snap.y) if len(snap.rows) else []
    hist_edges = np.linspace(scores.min(), scores.max() + 1, 11) if len(scores) else np.asarray([0, 1])
    out["histogram"] = {
        "edges": [int(e) for e in hist_edges],
        "counts": [int(c) for c in np.histogram(scores, bins=hist_edges)[0]],
    }
    return out


def calibration_curve(row_scores: np.ndarray, y: np.ndarray, groups: int = 10) -> list[dict[str, Any]]:
    """Predicted against found: inspections grouped by score (equal counts, ties kept
    together), each group's mean predicted probability of a problem (the score is
    log-odds: 500 = even odds, 20 points double them) beside the share that found one."""
    order = np.argsort(row_scores, kind="stable")
    s, yy = row_scores[order], y[order]
    out: list[dict[str, Any]] = []
    start = 0
    for g in range(1, groups + 1):
        end = int(round(g * len(s) / groups))
        while 0 < end < len(s) and s[end] == s[end - 1]:
            end += 1  # a score belongs to one group
        if end <= start:
            continue
        part = s[start:end]
        predicted = 1 / (1 + np.exp(-(part - OFFSET) / FACTOR))
        out.append(
            {
                "scores": [int(part[0]), int(part[-1])],
                "inspections": int(end - start),
                "predicted": round(float(predicted.mean()), 4),
                "found": round(float(yy[start:end].mean()), 4),
            }
        )
        start = end
    return out


def history_bounds() -> tuple[dt.date, dt.date] | None:
    b = Inspection.objects.filter(enterprise_id__isnull=False, archived_at__isnull=True).aggregate(
        lo=Min("inspected_on"), hi=Max("inspected_on")
    )
    return (b["lo"], b["hi"]) if b["lo"] else None


def calibrate(model: RiskModel, *, train_snapshots: int = 2) -> tuple[Fitted, dict[str, Any], dict[str, Any]]:
    """Learn a new version of `model` and validate it. Returns (fitted spec, windows,
    validation report)."""
    bounds = history_bounds()
    if bounds is None:
        raise NotEnoughHistory("没有检查记录，无法校准")
    lo, hi = bounds
    window = relativedelta(months=WINDOW_MONTHS)
    t1 = hi - window
    snaps_at = [t1 - window * (k + 1) for k in range(train_snapshots)]
    snaps_at = [t for t in snaps_at if t >= lo - relativedelta(days=1)] or [t1 - window]
    inds = indicators_for(model.code, model.key_area_domain)
    train = [snapshot(inds, model.key_area_domain, t, t + window) for t in snaps_at]
    from .learners import choose_target

    target, aucs = choose_target("woe", inds, train, list(TARGETS))
    fitted = fit(inds, train, target)
    fitted.target_aucs = aucs
    valid = snapshot(inds, model.key_area_domain, t1, hi)
    windows = {
        "trained_as_of": min(snaps_at),
        "train_window_end": t1,
        "validated_as_of": t1,
        "validation_window_end": hi,
    }
    return fitted, windows, {"train": train, "valid": valid}


def share_bands(scores: Sequence[float], shares: dict[str, float]) -> tuple[int, int, int]:
    """Score bands (b_from, c_from, d_from) under which the classes take about the target
    shares of `scores`; ties keep a score in one class, so shares are met as closely as the
    scores allow. Bands always ascend."""
    ordered = np.sort(np.asarray(scores, dtype=float))
    cuts: list[int] = []
    cum = 0.0
    for c in ("A", "B", "C"):
        cum += shares[c]
        k = min(max(int(round(cum * len(ordered))), 0), len(ordered) - 1) if len(ordered) else 0
        cut = int(math.ceil(ordered[k])) if len(ordered) else OFFSET
        # The cut closest to the target count among this score and the next one up.
        below_at = int(np.searchsorted(ordered, cut, side="left")) if len(ordered) else 0
        above_at = int(np.searchsorted(ordered, cut + 1, side="left")) if len(ordered) else 0
        if abs(above_at - cum * len(ordered)) < abs(below_at - cum * len(ordered)):
            cut += 1
        if cuts and cut <= cuts[-1]:
            cut = cuts[-1] + 1
        cuts.append(cut)
    return cuts[0], cuts[1], cuts[2]


def bands_for(version: ModelVersion, snap: Snapshot, on: dt.date) -> tuple[ClassBandRule, dict[str, Any]]:
    """The bands a version is validated with: set by target shares on the validation
    snapshot when the province chose shares, else the score bands in force."""
    shares = SupervisionMeasure.target_shares(on, settings.XINJIAN_PROVINCE)
    in_force = ClassBandRule.in_force(version.model, on)
    if shares is None:
        return in_force, {"source": "rule", "effective_from": in_force.effective_from.isoformat()}
    b, c, d = share_bands(score_rows(version, snap.X), shares)
    rule = ClassBandRule(model=version.model, effective_from=on, b_from=b, c_from=c, d_from=d)
    return rule, {"source": "shares", "shares": shares}


def validation_report(
    version: ModelVersion,
    snaps: dict[str, Any],
    *,
    on: dt.date,
    bands_given: tuple[ClassBandRule, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """`bands_given` (rule, basis) validates with bands chosen elsewhere (a hub's, ADR 0097)."""
    bands, band_basis = bands_given or bands_for(version, snaps["valid"], on)
    measures = SupervisionMeasure.in_force(on, settings.XINJIAN_PROVINCE)
    valid = evaluate(version, snaps["valid"], bands, measures)
    train = evaluate(version, snaps["train"][-1], bands, measures)
    report: dict[str, Any] = {
        "validation": valid,
        "training": {k: train.get(k) for k in ("as_of", "auc", "ks", "population")},
        "bands": {"b_from": bands.b_from, "c_from": bands.c_from, "d_from": bands.d_from, **band_basis},
    }
    # Stability: PSI of the class distribution against the latest run of the model, and
    # against the training snapshot (time stability of the candidate itself).
    last_run = (
        ScoringRun.objects.filter(version__model=version.model, kind="full")
        .order_by("-started_at", "-id")
        .first()
    )
    report["psi_vs_previous_run"] = _psi(last_run.counts, valid["population"]) if last_run else None
    report["previous_run"] = last_run.version.label if last_run else None
    report["psi_vs_training"] = _psi(train["population"], valid["population"])
    active = version.model.active_version()
    if active is not None and active.pk != version.pk:
        inds = [i["code"] for i in active.spec]
        if inds:
            held = snaps["valid"]
            if set(inds) <= set(held.codes):
                # The validation snapshot already holds the active version's columns: one
                # aggregation fewer (the costliest step of a calibration at scale).
                vs = replace(held, X=held.X[:, [held.codes.index(c) for c in inds]], codes=inds)
            else:
                vs = snapshot(
                    [BY_CODE[c] for c in inds], version.model.key_area_domain, held.as_of, held.window_end
                )
            cur = evaluate(active, vs, bands, measures)
            report["active_version"] = {
                "label": active.label,
                "auc": cur.get("auc"),
                "ks": cur.get("ks"),
                "d_over_a": cur.get("d_over_a"),
                "lift": cur["draw"]["lift"],
            }
    v = valid
    report["targets"] = {
        "auc": {"value": v.get("auc"), "target": 0.75, "met": (v.get("auc") or 0) >= 0.75},
        "d_over_a": {"value": v.get("d_over_a"), "target": 3.0, "met": (v.get("d_over_a") or 0) >= 3.0},
        "lift": {"value": v["draw"]["lift"], "target": 1.5, "met": (v["draw"]["lift"] or 0) >= 1.5},
    }
    return report
