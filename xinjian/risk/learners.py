"""Model families compared on the robustness harness (issue 17) and usable by calibration:

- `woe`: the binned WOE scorecard of calibration.py (points per bin, reasons = points);
- `logit`: L1-regularised logistic regression on log-scaled indicator values; the penalty
  (and so the indicators kept) is chosen by out-of-time validation on the province's own
  history — trained on the older snapshot, judged on the newer one — then refitted on all;
- `hgb`: scikit-learn's HistGradientBoosting with monotonic constraints from the declared
  directions of risk; the number of trees is chosen the same way.

Every family is fitted on the rows of a target (calibration.TARGETS: inspections, label a
problem found, weighted by the inverse of their recorded draw ratio; or enterprises, label
any outcome the law counts) of one or more snapshots and predicts a log-odds-like risk
score per enterprise row; higher is riskier. `fit_family` chooses the target the same way
as the penalty: out of time, judged on what inspections of the newer period found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from .indicators import Indicator


class TrainingData(Protocol):
    X: np.ndarray
    rows: np.ndarray
    y: np.ndarray
    w: np.ndarray

    def training(self, target: str = ...) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...


@dataclass
class Fitted:
    family: str
    predict: Any  # (X: np.ndarray) -> np.ndarray of risk scores
    kept: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    model: Any = None  # the fitted estimator, where there is one (hgb: for contributions)
    scorecard: Any = None  # the WOE scorecard (calibration.Fitted), for `woe`


def _rows(
    snaps: Sequence[TrainingData], target: str = "inspection"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parts = [s.training(target) for s in snaps]
    X = np.vstack([s.X[p[0]] for s, p in zip(snaps, parts, strict=True)])
    return X, np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts])


def _auc(y: np.ndarray, s: np.ndarray, w: np.ndarray | None = None) -> float:
    return float(roc_auc_score(y, s, sample_weight=w)) if 0 < y.sum() < len(y) else 0.5


def _split(snaps: Sequence[TrainingData]) -> tuple[list[TrainingData], list[TrainingData]]:
    """Older snapshots to fit, the newest to judge (out of time); one snapshot judges itself."""
    ordered = list(snaps)
    return (ordered[:-1] or ordered), ordered[-1:]


def _signed_log(X: np.ndarray) -> np.ndarray:
    return np.sign(X) * np.log1p(np.abs(X))


def fit_logit(inds: Sequence[Indicator], snaps: Sequence[TrainingData], target: str = "inspection") -> Fitted:
    fit_on, judge_on = _split(snaps)
    Xf, yf, wf = _rows(fit_on, target)
    Xj, yj, wj = _rows(judge_on)
    Zf = _signed_log(Xf)
    mu, sd = Zf.mean(axis=0), Zf.std(axis=0)
    sd[sd == 0] = 1.0
    best_c, best_auc = 0.1, -1.0
    for c in (0.003, 0.01, 0.03, 0.1, 0.3, 1.0):
        lr = LogisticRegression(C=c, l1_ratio=1.0, solver="liblinear", max_iter=500)
        lr.fit((Zf - mu) / sd, yf, sample_weight=wf)
        auc = _auc(yj, lr.decision_function((_signed_log(Xj) - mu) / sd), wj)
        if auc > best_auc + 1e-4:
            best_c, best_auc = c, auc
    Xa, ya, wa = _rows(snaps, target)
    Za = _signed_log(Xa)
    mu, sd = Za.mean(axis=0), Za.std(axis=0)
    sd[sd == 0] = 1.0
    lr = LogisticRegression(C=best_c, l1_ratio=1.0, solver="liblinear", max_iter=500)
    lr.fit((Za - mu) / sd, ya, sample_weight=wa)
    coef = lr.coef_[0]
    kept = [ind.code for ind, c in zip(inds, coef, strict=True) if abs(c) > 1e-9]

    def predict(X: np.ndarray) -> np.ndarray:
        return np.asarray(lr.decision_function((_signed_log(X) - mu) / sd))

    return Fitted(
        "logit", predict, kept, {"C": best_c, "validation_auc": round(best_auc, 4), "target": target}
    )


def _hgb(inds: Sequence[Indicator], max_iter: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=max_iter,
        max_depth=3,
        min_samples_leaf=40,
        l2_regularization=1.0,
        monotonic_cst=[ind.direction for ind in inds],
        early_stopping=False,
        random_state=0,
    )


def fit_hgb(inds: Sequence[Indicator], snaps: Sequence[TrainingData], target: str = "inspection") -> Fitted:
    fit_on, judge_on = _split(snaps)
    Xf, yf, wf = _rows(fit_on, target)
    Xj, yj, wj = _rows(judge_on)
    with threadpool_limits(1):  # OpenMP threads only spin on a shared two-core machine
        model = _hgb(inds, 300).fit(Xf, yf, sample_weight=wf)
    # Trees chosen out of time: the stage whose predictions rank the newer period best.
    best_k, best_auc = 50, -1.0
    for k, proba in enumerate(model.staged_predict_proba(Xj), start=1):
        if k % 25 == 0:
            auc = _auc(yj, proba[:, 1], wj)
            if auc > best_auc + 1e-4:
                best_k, best_auc = k, auc
    Xa, ya, wa = _rows(snaps, target)
    with threadpool_limits(1):
        final = _hgb(inds, best_k).fit(Xa, ya, sample_weight=wa)

    def predict(X: np.ndarray) -> np.ndarray:
        return np.asarray(final.decision_function(X))

    return Fitted(
        "hgb",
        predict,
        [i.code for i in inds],
        {"trees": best_k, "validation_auc": round(best_auc, 4), "target": target},
        model=final,
    )


def fit_woe(inds: Sequence[Indicator], snaps: Sequence[TrainingData], target: str = "inspection") -> Fitted:
    from .calibration import _bin_index
    from .calibration import fit as fit_scorecard

    scorecard = fit_scorecard(list(inds), list(snaps), target)  # type: ignore[arg-type]

    def predict(X: np.ndarray) -> np.ndarray:
        total = np.full(len(X), float(scorecard.base_points))
        for j, item in enumerate(scorecard.spec):
            total += np.asarray(item["points"], dtype=float)[_bin_index(X[:, j], item["edges"])]
        return total

    kept = [item["code"] for item in scorecard.spec if any(item["points"])]
    return Fitted("woe", predict, kept, {"dropped": scorecard.dropped, "target": target}, scorecard=scorecard)


FAMILIES = {"woe": fit_woe, "logit": fit_logit, "hgb": fit_hgb}


def choose_target(
    family: str, inds: Sequence[Indicator], snaps: Sequence[TrainingData], targets: Sequence[str]
) -> tuple[str, dict[str, float]]:
    """The target whose model, fitted on the older snapshots, best ranks what inspections
    of the newest one found (weighted by the inverse draw ratios): out of time, on the
    province's own history. With one snapshot there is nothing to judge on: the first."""
    from .calibration import NotEnoughHistory

    if len(snaps) < 2 or len(targets) < 2:
        return targets[0], {}
    fit_on, judge_on = _split(snaps)
    Xj, yj, wj = _rows(judge_on)
    aucs: dict[str, float] = {}
    for target in targets:
        try:
            fitted = FAMILIES[family](inds, fit_on, target)
        except (NotEnoughHistory, ValueError):  # too few rows or one class: that target loses
            continue
        aucs[target] = round(_auc(yj, fitted.predict(Xj), wj), 4)
    if not aucs:
        return "inspection", {}
    return max(aucs, key=lambda t: (aucs[t], t == "inspection")), aucs


def fit_family(
    family: str,
    inds: Sequence[Indicator],
    snaps: Sequence[TrainingData],
    targets: Sequence[str] | None = None,
) -> Fitted:
    """Fit `family` on the target chosen out of time among `targets` (default: all)."""
    from .calibration import TARGETS

    target, aucs = choose_target(family, inds, snaps, list(targets or TARGETS))
    fitted = FAMILIES[family](inds, snaps, target)
    fitted.params["target_validation_auc"] = aucs
    return fitted
