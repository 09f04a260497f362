"""Words for codes (issue 14: never a code or enum value as visible text). Apps register
their choice sets here from `AppConfig.ready()`; templates turn codes into labels with
`{% load labels %}{{ value|label:"penalty_type" }}` or, for a list,
`{{ values|labels:"penalty_type"|join:"、" }}` — core knows no app's choices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_SETS: dict[str, Mapping[str, Any]] = {}


def register(name: str, choices: Iterable[tuple[str, Any]] | Mapping[str, Any]) -> None:
    _SETS[name] = dict(choices.items() if isinstance(choices, Mapping) else choices)


def label(name: str, value: Any) -> str:
    """The label of `value` in the set `name`; the value itself when unknown (a code
    from a newer peer is shown rather than hidden)."""
    if value in (None, ""):
        return ""
    return str(_SETS.get(name, {}).get(value, value))


def labels(name: str, values: Iterable[Any]) -> list[str]:
    return [label(name, v) for v in values or []]
