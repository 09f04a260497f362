"""Reasons for the boosted model (issue 17): exact path-dependent Shapley contributions
that add up to the model's log-odds, read as the catalogue's sentences."""

from __future__ import annotations

import numpy as np
from django.utils import translation
from sklearn.ensemble import HistGradientBoostingClassifier

from xinjian.risk.contributions import contributions, reasons
from xinjian.risk.indicators import BY_CODE

CODES = ["problem_inspections_60m", "rep_problem_share_60m", "age_years", "valid_licences"]


def _fitted():
    rng = np.random.default_rng(3)
    n = 2000
    X = np.column_stack(
        [
            rng.poisson(0.5, n),
            rng.uniform(0, 60, n),
            rng.integers(0, 11, n),
            np.zeros(n),  # never varies: never split on
        ]
    ).astype(float)
    logit = -2.5 + 1.2 * X[:, 0] + 0.04 * X[:, 1] * (X[:, 0] > 0) - 0.1 * X[:, 2]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    model = HistGradientBoostingClassifier(
        learning_rate=0.05, max_iter=120, max_depth=3, monotonic_cst=[1, 1, -1, 0], random_state=0
    ).fit(X, y, sample_weight=rng.uniform(0.5, 2, n))
    return model, X


def test_contributions_add_up_to_the_log_odds_of_every_enterprise():
    model, X = _fitted()
    base, phi = contributions(model, X)
    assert np.abs(base + phi.sum(axis=1) - model.decision_function(X)).max() < 1e-9
    assert np.all(phi[:, 3] == 0)  # a feature no tree splits on explains nothing
    # On average over the training rows each contribution is about zero (it is the change
    # from the expected output), and the strongest driver has the widest spread.
    assert np.abs(phi.mean(axis=0)).max() < 0.05
    assert phi[:, 0].std() > phi[:, 2].std()


def test_reasons_are_the_catalogue_sentences_of_the_largest_positive_contributions():
    model, X = _fitted()
    base, phi = contributions(model, X)
    riskiest = int(np.argmax(model.decision_function(X)))
    inds = [BY_CODE[c] for c in CODES]
    with translation.override("zh-hans"):
        out = reasons(inds, X[riskiest], phi[riskiest])
    assert out and out[0]["contribution"] >= out[-1]["contribution"] > 0
    assert out[0]["code"] == "problem_inspections_60m"
    assert out[0]["text"] == f"近五年检查 {int(X[riskiest, 0])} 次发现问题"
    with translation.override("en"):
        english = reasons(inds, X[riskiest], phi[riskiest])
    assert english[0]["text"] == f"{int(X[riskiest, 0])} inspections finding problems in the last 60 months"
    # The safest enterprise has no reason pushing it up by much; none are invented.
    safest = int(np.argmin(model.decision_function(X)))
    assert all(r["contribution"] > 0 for r in reasons(inds, X[safest], phi[safest]))
