"""Per-enterprise contributions of the boosted model (issue 17): why HistGradientBoosting
put an enterprise where it did, as a reason a supervisor can read.

The contributions are exact Shapley values of each tree's prediction under the
path-dependent value function — what `shap.TreeExplainer(model,
feature_perturbation="tree_path_dependent")` computes: v(S) is the tree's expected output
when the features in S take the enterprise's values and the others follow the training
rows down both branches in proportion to how many went each way (the node counts). The
boosted model's trees are shallow (depth ≤ 3, so ≤ 7 split features each), so the
Shapley sum over subsets is enumerated exactly instead of with TreeSHAP's polynomial
recursion. The `shap` package itself would add numba, llvmlite and pandas (~150 MB and a
JIT at start) to the lock for this one function; the test checks the defining property
instead: base value + contributions = the model's log-odds, enterprise by enterprise.

The trees are read from scikit-learn's fitted predictors (`_predictors`, `nodes`), whose
layout is fixed by the pinned version in requirements.lock.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .indicators import Indicator


def _tree_value(nodes: Any, X: np.ndarray, present: frozenset[int], node: int = 0) -> np.ndarray:
    """E[tree(x) | x_S] for every row: features in `present` follow the row, the others
    split the way the training rows did."""
    n = nodes[node]
    if n["is_leaf"]:
        return np.full(len(X), float(n["value"]))
    left = _tree_value(nodes, X, present, int(n["left"]))
    right = _tree_value(nodes, X, present, int(n["right"]))
    f = int(n["feature_idx"])
    if f in present:
        col = X[:, f]
        go_left = np.where(np.isnan(col), bool(n["missing_go_to_left"]), col <= n["num_threshold"])
        return np.where(go_left, left, right)
    cl, cr = float(nodes[int(n["left"])]["count"]), float(nodes[int(n["right"])]["count"])
    return (cl * left + cr * right) / (cl + cr) if cl + cr else (left + right) / 2


def _tree_shap(nodes: Any, X: np.ndarray, phi: np.ndarray) -> float:
    """Add one tree's Shapley values to `phi` (rows × features); return its expected value."""
    features = sorted({int(n["feature_idx"]) for n in nodes if not n["is_leaf"]})
    k = len(features)
    cache: dict[frozenset[int], np.ndarray] = {}

    def v(subset: frozenset[int]) -> np.ndarray:
        if subset not in cache:
            cache[subset] = _tree_value(nodes, X, subset)
        return cache[subset]

    for i in features:
        others = [f for f in features if f != i]
        for size in range(k):
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for combo in itertools.combinations(others, size):
                s = frozenset(combo)
                phi[:, i] += weight * (v(s | {i}) - v(s))
    return float(v(frozenset())[0]) if len(X) else 0.0


def contributions(model: Any, X: np.ndarray) -> tuple[float, np.ndarray]:
    """(base value, rows × features contributions) in log-odds for a fitted binary
    HistGradientBoostingClassifier: base + contributions.sum(1) = decision_function(X)."""
    X = np.asarray(X, dtype=float)
    phi = np.zeros(X.shape, dtype=float)
    base = float(np.ravel(model._baseline_prediction)[0])
    for iteration in model._predictors:
        base += _tree_shap(iteration[0].nodes, X, phi)
    return base, phi


def reasons(
    inds: Sequence[Indicator], values: np.ndarray, phi: np.ndarray, *, top: int = 3
) -> list[dict[str, Any]]:
    """The indicators that raised one enterprise's risk most, as sentences in the UI
    language (Indicator.explain) with their contribution in log-odds."""
    order = np.argsort(-phi, kind="stable")
    out = []
    for j in order[:top]:
        if phi[j] <= 0:
            break
        out.append(
            {
                "code": inds[j].code,
                "text": inds[j].explain(float(values[j])),
                "contribution": round(float(phi[j]), 3),
            }
        )
    return out
