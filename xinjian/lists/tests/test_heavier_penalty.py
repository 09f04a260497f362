"""The heavier-penalty rule (Order 44 art. 2) is one rule: the Python predicate the lists
and repair use and the SQL condition the risk indicator counts with agree on every kind,
and both follow the rule table in force (issue 11 §3)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection

from xinjian.collection.models import Penalty
from xinjian.lists.models import ListRuleSet
from xinjian.lists.rules import heavier_penalty_sql, is_heavier_penalty

DAY = dt.date(2026, 6, 1)
KINDS = ["fine", "warning", "confiscation", "licence_revocation", "suspension", "closure"]


def _sql_ids(day: dt.date) -> set[int]:
    cond = heavier_penalty_sql("x", day, "440305")
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {Penalty._meta.db_table} x WHERE {cond}")
        return {r[0] for r in cur.fetchall()}


@pytest.mark.django_db
def test_the_predicate_and_the_sql_agree_on_every_combination(enterprise_factory, penalty_factory):
    e = enterprise_factory()
    made = []
    for size in (1, 2):
        for kinds in itertools.combinations(KINDS, size):
            for aggravated in (False, True):
                made.append(penalty_factory(e, penalty_types=list(kinds), aggravated=aggravated))
    heavy = {p.pk for p in made if is_heavier_penalty(p, DAY)}
    assert heavy == _sql_ids(DAY)
    by_kinds = {(tuple(p.penalty_types), p.aggravated): p.pk in heavy for p in made}
    assert by_kinds[(("fine",), True)] and not by_kinds[(("fine",), False)]
    assert not by_kinds[(("warning",), True)]  # 从重 applies to a fine, not to a warning
    assert by_kinds[(("licence_revocation",), False)]


@pytest.mark.django_db
def test_both_follow_a_new_rule_version(enterprise_factory, penalty_factory):
    e = enterprise_factory()
    warned = penalty_factory(e, penalty_types=["warning"], decided_on=DAY)
    assert not is_heavier_penalty(warned, DAY) and warned.pk not in _sql_ids(DAY)
    current = ListRuleSet.objects.order_by("-effective_from").first()
    ListRuleSet.objects.create(
        **{
            f.name: getattr(current, f.name)
            for f in ListRuleSet._meta.concrete_fields
            if f.name not in ("id", "effective_from", "heavier_penalty_types")
        },
        effective_from=DAY,
        heavier_penalty_types=["warning"],
    )
    assert is_heavier_penalty(warned, DAY) and warned.pk in _sql_ids(DAY)
    before = DAY - dt.timedelta(days=1)
    assert not is_heavier_penalty(warned, before) and warned.pk not in _sql_ids(before)
