"""The shapes of the catalogue: dimensions, sources (grouped subqueries over one record
table each) and indicator declarations."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinjian.core.i18n import chinese_ui

from .reasons_en import REASONS_EN


class Dimension(models.TextChoices):
    BASIC = "basic", _("基本属性")
    DYNAMIC = "dynamic", _("动态行为")
    SUPERVISION = "supervision", _("监管信息")
    RELATED = "related", _("关联关系")
    SOCIAL = "social", _("社会评价")


@dataclass(frozen=True)
class Source:
    """A grouped subquery: one row per `key`, joined to the register by `join`."""

    sql_from: str
    key: str
    where: str
    join: str  # condition between the outer enterprise `e` and the source alias
    id_filter: (
        str  # restricts the subquery to the enterprises scored: {scope} is "IN (…)" or "BETWEEN a AND b"
    )


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    name_en: str
    dimension: str
    # Aggregate columns by source: {"pen": "SUM(CASE WHEN … THEN 1 ELSE 0 END)"}; "src:name"
    # keys give one indicator several aggregates of the same source.
    aggs: dict[str, str]
    # Outer expression; {src} stands for COALESCE(<this indicator's column of src>, 0).
    value: str
    # +1: a higher value means higher risk; -1: lower value, higher risk; 0: not known.
    direction: int
    # Candidate bins as ascending lower bounds: (0, 1, 3) → [<1], [1, 3), [≥3].
    edges: tuple[float, ...]
    # Expert points per bin, used by the initial version before any calibration.
    default_points: tuple[int, ...]
    # How a reason reads: "{value}" is replaced by the value.
    reason: str
    models: tuple[str, ...] = ("general",)
    sql_params: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.default_points) != len(self.edges):
            raise ValueError(f"{self.code}: one default point per bin")
        if list(self.edges) != sorted(self.edges):
            raise ValueError(f"{self.code}: edges must ascend")

    def column(self, key: str) -> str:
        """The column of an aggregate; `key` is a source, or "source:name" when one
        indicator needs several aggregates of the same source."""
        return f"{self.code}__{key.replace(':', '__')}"

    def outer_sql(self) -> str:
        def repl(m: re.Match[str]) -> str:
            key = m.group(1)
            if key not in self.aggs:
                return m.group(0)  # a date parameter, filled later
            return f"COALESCE({key.split(':')[0]}.{self.column(key)}, 0)"

        return re.sub(r"\{([\w:]+)\}", repl, self.value)

    def bin_of(self, value: float, edges: Sequence[float] | None = None) -> int:
        edges = list(edges if edges is not None else self.edges)
        idx = 0
        for i, lower in enumerate(edges):
            if value >= lower:
                idx = i
        return idx

    def display_name(self) -> str:
        """The indicator's name in the UI language."""
        return self.name if chinese_ui() else self.name_en

    def explain(self, value: float) -> str:
        """A reason as a sentence in the UI language: "近两年受到 3 次行政处罚" /
        "3 penalties in the last 24 months"."""
        shown = int(value) if float(value).is_integer() else round(float(value), 2)
        english = not chinese_ui() and self.code in REASONS_EN
        text = REASONS_EN[self.code] if english else self.reason
        return text.replace("{value}", f"{shown:,}" if isinstance(shown, int) else str(shown))
