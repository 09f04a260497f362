"""The indicator catalogue (domain.md §7): every indicator is a declaration — code,
Chinese and English name, dimension, how it is computed from records as of a date (SQL
aggregations over the record tables), the direction of risk where it is known, candidate
bins and default (expert) points. Models pick indicators from here; calibration learns
their bins and points from the inspection history (calibration.py).

How the SQL is made: each indicator names aggregate columns in one or more *sources*
(one grouped subquery per record table, so each table is scanned once per run) and an
outer expression over those columns. `aggregation_sql` joins the sources to the register
and yields one row per enterprise with one column per indicator. Dates are inlined as ISO
literals computed in Python, which both SQLite and PostgreSQL compare correctly against
date columns; nothing user-supplied is ever inlined.
"""

from __future__ import annotations

from . import basic, dynamic, food, related, social, special_equipment, supervision
from .base import Dimension, Indicator, Source
from .reasons_en import REASONS_EN
from .sources import SOURCES
from .sql import aggregation_sql, date_params

__all__ = [
    "BY_CODE",
    "CATALOGUE",
    "REASONS_EN",
    "SOURCES",
    "Dimension",
    "Indicator",
    "Source",
    "aggregation_sql",
    "date_params",
    "indicators_for",
]

CATALOGUE: tuple[Indicator, ...] = (
    basic.INDICATORS
    + dynamic.INDICATORS
    + supervision.INDICATORS
    + related.INDICATORS
    + social.INDICATORS
    + food.INDICATORS
    + special_equipment.INDICATORS
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in CATALOGUE}


def indicators_for(model_code: str, key_area_domain: str = "") -> list[Indicator]:
    """A domain model builds on the general model and adds its own indicators."""
    general = [i for i in CATALOGUE if "general" in i.models]
    if not key_area_domain:
        return general
    return general + [i for i in CATALOGUE if key_area_domain in i.models]
