"""Seed the list rule tables with domain.md §9–§11 defaults (data migration and the
reference-data loader call this; idempotent)."""

from __future__ import annotations

from typing import Any

from .rules import DEFAULT_GROUNDS, DEFAULT_MEASURES, DEFAULT_RULES


def seed_list_rules(*, ListRuleSet: Any, ListGround: Any, Measure: Any) -> None:

    if not ListRuleSet.objects.filter(province_code="").exists():
        ListRuleSet.objects.create(**DEFAULT_RULES)
    for code, kind, name, basis, domains in DEFAULT_GROUNDS:
        ListGround.objects.get_or_create(
            code=code,
            effective_from=DEFAULT_RULES["effective_from"],
            defaults={"list": kind, "name": name, "basis": basis, "penalty_domains": domains},
        )
    for code, kind, name, blocks in DEFAULT_MEASURES:
        Measure.objects.get_or_create(
            code=code,
            list=kind,
            effective_from=DEFAULT_RULES["effective_from"],
            defaults={
                "name": name,
                "blocks_commitment": blocks,
                "basis": "总局令第44号第十四条" if kind == "serious" else "《企业经营异常名录管理暂行办法》",
            },
        )
