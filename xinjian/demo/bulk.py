"""Fast bulk insert of generated columns: PostgreSQL COPY, SQLite executemany.

The generator produces whole columns (numpy arrays or lists). Going through model
instances would cost more than generating the data, so rows are written straight into
the model's table, with every column the model has (unlisted ones get the field's
default). Values are passed as text in the database's own format: dates 'YYYY-MM-DD',
timestamps in UTC, JSON as text — both SQLite and PostgreSQL parse them the same way
Django writes them. Ids are assigned by the caller (`next_ids`) so foreign keys can be
built before the rows exist; on PostgreSQL the id sequence is moved past them afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, models


def next_ids(model: type[models.Model], n: int) -> np.ndarray:
    """`n` fresh primary keys after the largest in the table."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX({model._meta.pk.column}), 0) FROM {model._meta.db_table}")
        start = int(cur.fetchone()[0]) + 1
    return np.arange(start, start + n, dtype=np.int64)


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """PostgreSQL: move identity sequences past explicitly written ids."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cur.execute(sql)


def _as_list(values: Any, n: int) -> list[Any]:
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "M":  # datetime64[D] → 'YYYY-MM-DD'; NaT → NULL
            text = np.datetime_as_string(values, unit="D")
            out = text.tolist()
            if np.isnat(values).any():
                mask = np.isnat(values).tolist()
                out = [None if m else v for v, m in zip(out, mask, strict=True)]
            return out
        if values.dtype.kind == "b":
            return (
                values.tolist()
                if connection.vendor == "sqlite"
                else ["t" if v else "f" for v in values.tolist()]
            )
        return values.tolist()
    if isinstance(values, list):
        return values
    return [values] * n  # a constant


def insert_columns(model: type[models.Model], columns: dict[str, Any], n: int) -> int:
    """Insert `n` rows given as {column_name: array | list | constant}. Columns the caller
    leaves out take the field default (which must not be callable per row)."""
    if n == 0:
        return 0
    fields = [f for f in model._meta.concrete_fields]
    names: list[str] = []
    data: list[list[Any]] = []
    for f in fields:
        if f.column in columns:
            value = columns[f.column]
        elif f.has_default() or (f.empty_strings_allowed and not f.null and not f.primary_key):
            value = f.get_default()  # "" for text fields without a default
            if isinstance(value, list | dict):
                value = json.dumps(value, ensure_ascii=False)
        elif f.null:
            value = None
        elif f.primary_key:
            continue  # let the database assign it
        else:
            raise ValueError(f"{model.__name__}.{f.name} needs a value")
        if isinstance(value, bool) and connection.vendor == "postgresql":
            value = "t" if value else "f"
        names.append(f.column or f.name)
        data.append(_as_list(value, n))
    for d, name in zip(data, names, strict=True):
        if len(d) != n:
            raise ValueError(f"{model.__name__}.{name}: {len(d)} values for {n} rows")
    rows = zip(*data, strict=True)
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # COPY in text format: every value is sent as text and parsed by the server
            # into the column's type, the fastest way in (psycopg 3 `cursor.copy`).
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(rows))
    return n


def utc_timestamp(dates: np.ndarray, hour_utc: int = 2) -> list[str]:
    """Timestamps at a fixed hour UTC on the given days (10:00 in Shanghai for 2), in a
    format both databases read as UTC."""
    text = np.datetime_as_string(dates, unit="D").tolist()
    suffix = f" {hour_utc:02d}:00:00" + ("+00:00" if connection.vendor == "postgresql" else "")
    return [t + suffix for t in text]


def utc_now_text(now: Any) -> str:
    """`now` (an aware datetime) as UTC text for the database."""
    import datetime as dt

    value = now.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    return value + "+00:00" if connection.vendor == "postgresql" else value
