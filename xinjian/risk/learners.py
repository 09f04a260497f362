"""Model families compared on the robustness harness (issue 17) and usable by calibration:

- `woe`: the binned WOE scorecard of calibration.py (points per bin, reasons = points);
- `logit`: L1-regularised logistic regression on log-scaled indicator values; the penalty
  (and so the indicators kept) is chosen by out-of-time validation on the province's own
  history — trained on the older snapshot, judged on the newer one — then refitted on all;
- `hgb`: scikit-learn's HistGradientBoosting with monotonic constraints from the declared
  directions of risk; the number of trees is chosen the same way.

Every family is fitted on inspection rows (label: a problem found) of one or more
snapshots and predicts a log-odds-like risk score per enterprise row; higher is riskier.
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


@dataclass
class Fitted:
    family: str
    predict: Any  # (X: np.ndarray) -> np.ndarray of risk scores
    kept: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)


def _rows(snaps: Sequence[TrainingData]) -> tuple[np.ndarray, np.ndarray]:
    X = np.vstack([s.X[s.rows] for s in snaps]) if snaps else np.zeros((0, 0))
    y = np.concatenate([s.y for s in snaps]) if snaps else np.zeros(0)
    return X, y


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else 0.5


def _split(snaps: Sequence[TrainingData]) -> tuple[list[TrainingData], list[TrainingData]]:
    """Older snapshots to fit, the newest to judge (out of time); one snapshot judges itself."""
    ordered = list(snaps)
    return (ordered[:-1] or ordered), ordered[-1:]


def _signed_log(X: np.ndarray) -> np.ndarray:
    return np.sign(X) * np.log1p(np.abs(X))


def fit_logit(inds: Sequence[Indicator], snaps: Sequence[TrainingData]) -> Fitted:
    fit_on, judge_on = _split(snaps)
    Xf, yf = _rows(fit_on)
    Xj, yj = _rows(judge_on)
    Zf = _signed_log(Xf)
    mu, sd = Zf.mean(axis=0), Zf.std(axis=0)
    sd[sd == 0] = 1.0
    best_c, best_auc = 0.1, -1.0
    for c in (0.003, 0.01, 0.03, 0.1, 0.3, 1.0):
        lr = LogisticRegression(C=c, l1_ratio=1.0, solver="liblinear", max_iter=500)
        lr.fit((Zf - mu) / sd, yf)
        auc = _auc(yj, lr.decision_function((_signed_log(Xj) - mu) / sd))
        if auc > best_auc + 1e-4:
            best_c, best_auc = c, auc
    Xa, ya = _rows(snaps)
    Za = _signed_log(Xa)
    mu, sd = Za.mean(axis=0), Za.std(axis=0)
    sd[sd == 0] = 1.0
    lr = LogisticRegression(C=best_c, l1_ratio=1.0, solver="liblinear", max_iter=500)
    lr.fit((Za - mu) / sd, ya)
    coef = lr.coef_[0]
    kept = [ind.code for ind, c in zip(inds, coef, strict=True) if abs(c) > 1e-9]

    def predict(X: np.ndarray) -> np.ndarray:
        return np.asarray(lr.decision_function((_signed_log(X) - mu) / sd))

    return Fitted("logit", predict, kept, {"C": best_c, "validation_auc": round(best_auc, 4)})


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


def fit_hgb(inds: Sequence[Indicator], snaps: Sequence[TrainingData]) -> Fitted:
    fit_on, judge_on = _split(snaps)
    Xf, yf = _rows(fit_on)
    Xj, yj = _rows(judge_on)
    with threadpool_limits(1):  # OpenMP threads only spin on a shared two-core machine
        model = _hgb(inds, 300).fit(Xf, yf)
    # Trees chosen out of time: the stage whose predictions rank the newer period best.
    best_k, best_auc = 50, -1.0
    for k, proba in enumerate(model.staged_predict_proba(Xj), start=1):
        if k % 25 == 0:
            auc = _auc(yj, proba[:, 1])
            if auc > best_auc + 1e-4:
                best_k, best_auc = k, auc
    Xa, ya = _rows(snaps)
    with threadpool_limits(1):
        final = _hgb(inds, best_k).fit(Xa, ya)

    def predict(X: np.ndarray) -> np.ndarray:
        return np.asarray(final.decision_function(X))

    return Fitted(
        "hgb", predict, [i.code for i in inds], {"trees": best_k, "validation_auc": round(best_auc, 4)}
    )


def fit_woe(inds: Sequence[Indicator], snaps: Sequence[TrainingData]) -> Fitted:
    from .calibration import _bin_index
    from .calibration import fit as fit_scorecard

    scorecard = fit_scorecard(list(inds), list(snaps))  # type: ignore[arg-type]

    def predict(X: np.ndarray) -> np.ndarray:
        total = np.full(len(X), float(scorecard.base_points))
        for j, item in enumerate(scorecard.spec):
            total += np.asarray(item["points"], dtype=float)[_bin_index(X[:, j], item["edges"])]
        return total

    kept = [item["code"] for item in scorecard.spec if any(item["points"])]
    return Fitted("woe", predict, kept, {"dropped": scorecard.dropped})


FAMILIES = {"woe": fit_woe, "logit": fit_logit, "hgb": fit_hgb}
