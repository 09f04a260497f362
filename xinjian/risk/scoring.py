"""Scoring in the database: the aggregation of indicators (indicators.aggregation_sql),
the bins → points lookup, the class bands and the write-back of every assessment run as
one INSERT … SELECT … ON CONFLICT statement, so a full rescore never pulls the register
into Python (architecture: scoring grows with the database).

The score scale: score = OFFSET + FACTOR · log-odds(problem found), FACTOR = 20/ln 2 (20
points double the odds). Calibration rounds points per bin to integers and shifts each
indicator so that its lowest-risk bin has 0 points; `base_points` absorbs the shifts.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from .indicators import BY_CODE, Indicator, aggregation_sql
from .models import ClassBandRule, ModelVersion

FACTOR = 20 / math.log(2)
OFFSET = 500


def spec_indicators(version: ModelVersion) -> list[Indicator]:
    return [BY_CODE[item["code"]] for item in version.spec]


def _points_case(n: int, edges: Sequence[float], points: Sequence[int]) -> str:
    parts = [
        f"WHEN v_{n} >= {float(lo)!r} THEN {int(p)}"
        for lo, p in reversed(list(zip(edges, points, strict=True))[1:])
    ]
    return f"CASE {' '.join(parts)} ELSE {int(points[0])} END" if parts else str(int(points[0]))


def scored_sql(
    version: ModelVersion,
    as_of: dt.date,
    *,
    enterprise_ids: Sequence[int] | None = None,
    id_range: tuple[int, int] | None = None,
) -> str:
    """SELECT enterprise_id, score, v_0…, p_0… for the enterprises in the model's scope."""
    inds = spec_indicators(version)
    agg = aggregation_sql(
        inds,
        as_of,
        enterprise_ids=enterprise_ids,
        id_range=id_range,
        key_area_domain=version.model.key_area_domain,
    )
    n = len(inds)
    pts = ", ".join(
        f"{_points_case(i, item['edges'], item['points'])} AS p_{i}" for i, item in enumerate(version.spec)
    )
    vals = ", ".join(f"v_{i}" for i in range(n))
    total = " + ".join([str(int(version.base_points))] + [f"p_{i}" for i in range(n)])
    fence = _fence()
    return (
        f"SELECT enterprise_id, {total} AS score, {vals} "
        f"FROM (SELECT enterprise_id, {vals}, {pts} FROM ({agg}{fence}) a{fence}) s"
    )


def _fence() -> str:
    """Keeps PostgreSQL from flattening a subquery into the one above it. Flattened, every
    reference to a column is its whole expression again: the class CASE names the score
    four times, the score sums every points CASE, each CASE names its value up to five
    times, so a row evaluated each indicator expression hundreds of times (ADR 0041).
    `OFFSET 0` computes each level once per row. (SQLite takes OFFSET only after LIMIT.)"""
    return " OFFSET 0" if connection.vendor == "postgresql" else ""


def _json_array(cols: list[str]) -> str:
    inner = " || ',' || ".join(f"CAST({c} AS TEXT)" for c in cols)
    return f"'[' || {inner} || ']'"


def _ts_literal(moment: dt.datetime) -> str:
    if connection.vendor == "sqlite":
        # Django keeps aware datetimes in SQLite as naive UTC text.
        return "'" + moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ") + "'"
    return "'" + moment.isoformat() + "'"


def write_assessments(
    version: ModelVersion,
    run_id: int,
    as_of: dt.date,
    bands: ClassBandRule,
    *,
    enterprise_ids: Sequence[int] | None = None,
    id_range: tuple[int, int] | None = None,
    assessed_at: dt.datetime | None = None,
) -> tuple[dict[str, int], int]:
    """Score and upsert in one statement; returns (counts per class, class changes). The
    previous class is kept in `previous_class`, so the changes are counted from the rows
    written (PostgreSQL: from the statement's RETURNING, without reading the table again).
    Runs on the calling thread's connection, so each slice of a full run has its own."""
    n = len(version.spec)
    scored = scored_sql(version, as_of, enterprise_ids=enterprise_ids, id_range=id_range)
    cls = (
        f"CASE WHEN score < {int(bands.b_from)} THEN 'A' WHEN score < {int(bands.c_from)} THEN 'B' "
        f"WHEN score < {int(bands.d_from)} THEN 'C' ELSE 'D' END"
    )
    values = _json_array([f"v_{i}" for i in range(n)])
    moment = assessed_at or timezone.now()
    insert = (
        "INSERT INTO risk_assessment (enterprise_id, model_id, version_id, run_id, as_of, assessed_at, score, "
        "risk_class, previous_class, values_json) "
        f"SELECT enterprise_id, '{version.model_id}', {int(version.pk)}, {int(run_id)}, '{as_of.isoformat()}', "
        f"{_ts_literal(moment)}, score, {cls}, NULL, {values} FROM ({scored}{_fence()}) q WHERE 1 = 1 "
        "ON CONFLICT (enterprise_id, model_id) DO UPDATE SET version_id = excluded.version_id, "
        "run_id = excluded.run_id, as_of = excluded.as_of, assessed_at = excluded.assessed_at, "
        "score = excluded.score, previous_class = risk_assessment.risk_class, risk_class = excluded.risk_class, "
        "values_json = excluded.values_json"
    )
    summary = (
        "SELECT risk_class, COUNT(*), SUM(CASE WHEN previous_class IS NOT NULL AND previous_class <> risk_class "
        "THEN 1 ELSE 0 END) FROM {rows} GROUP BY risk_class"
    )
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"WITH w AS ({insert} RETURNING risk_class, previous_class) " + summary.format(rows="w")
            )
        else:
            cur.execute(insert)
            where = f"run_id = {int(run_id)}"
            if id_range is not None:
                where += f" AND enterprise_id BETWEEN {int(id_range[0])} AND {int(id_range[1])}"
            cur.execute(summary.format(rows=f"risk_assessment WHERE {where}"))
        rows = cur.fetchall()
    return _tally(rows)


def _tally(rows: list[Any]) -> tuple[dict[str, int], int]:
    counts = {c: 0 for c in "ABCD"}
    changes = 0
    for klass, count, changed in rows:
        counts[klass] = int(count)
        changes += int(changed or 0)
    return counts, changes


def indicator_matrix(
    version_or_inds: ModelVersion | list[Indicator],
    as_of: dt.date,
    *,
    key_area_domain: str = "",
    enterprise_ids: Sequence[int] | None = None,
) -> tuple[list[int], np.ndarray]:
    """Raw indicator values for calibration: (enterprise ids, enterprises × indicators
    array, NULL as 0). On PostgreSQL the rows come out with COPY … (FORMAT BINARY), all
    fixed-width, straight into numpy: fetching a million rows as Python tuples of
    Decimals and converting them cost more than the aggregation itself (issue 17)."""
    if isinstance(version_or_inds, ModelVersion):
        inds = spec_indicators(version_or_inds)
        key_area_domain = version_or_inds.model.key_area_domain
    else:
        inds = version_or_inds
    sql = aggregation_sql(inds, as_of, enterprise_ids=enterprise_ids, key_area_domain=key_area_domain)
    n = len(inds)
    if connection.vendor == "postgresql":
        cols = ", ".join(f"COALESCE(v_{i}, 0)::float8" for i in range(n))
        select = f"SELECT enterprise_id::int8, {cols} FROM ({sql}) a"
        buf = bytearray()
        with (
            connection.cursor() as cur,
            cur.cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT BINARY)") as copy,
        ):
            for chunk in copy:
                buf += chunk
        # Header: 11-byte signature, int32 flags, int32 extension length (+ extension);
        # trailer int16 -1; a row: int16 field count, then int32 length + 8 bytes a field.
        ext = int.from_bytes(buf[15:19], "big")
        fields: list[tuple[str, str]] = [("count", ">i2"), ("len_id", ">i4"), ("id", ">i8")]
        for i in range(n):
            fields += [(f"len_{i}", ">i4"), (f"v_{i}", ">f8")]
        rows = np.frombuffer(memoryview(buf)[19 + ext : len(buf) - 2], dtype=np.dtype(fields))
        matrix = np.empty((len(rows), n), dtype=float)
        for i in range(n):
            matrix[:, i] = rows[f"v_{i}"]
        return rows["id"].astype(np.int64).tolist(), matrix
    with connection.cursor() as cur:
        cur.execute(sql)
        fetched = cur.fetchall()
    matrix = np.array([[float(v or 0) for v in r[1:]] for r in fetched], dtype=float).reshape(len(fetched), n)
    return [r[0] for r in fetched], matrix


def score_rows(version: ModelVersion, rows: Sequence[Sequence[float]] | np.ndarray) -> list[int]:
    """The same points lookup as the SQL, in Python (for calibration and validation):
    per indicator, the bin is the last lower bound ≤ the value (the first bin below all)."""
    inds = spec_indicators(version)
    X = np.asarray(rows, dtype=float).reshape(-1, len(inds))
    total = np.full(len(X), int(version.base_points), dtype=np.int64)
    for j, item in enumerate(version.spec):
        edges = np.asarray(item["edges"], dtype=float)
        idx = np.maximum(np.searchsorted(edges, X[:, j], side="right") - 1, 0)
        total += np.asarray(item["points"], dtype=np.int64)[idx]
    return [int(t) for t in total]


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.monotonic()

    def ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)


def reasons(version: ModelVersion, values: list[Any], points: list[Any]) -> list[dict[str, Any]]:
    """Every indicator that moved the score, largest first: what it is, its value, the
    points it added, and a sentence ("近两年受到 3 次行政处罚: +40")."""
    out = []
    for item, value, pts in zip(version.spec, values, points, strict=False):
        if not pts:
            continue
        ind = BY_CODE.get(item["code"])
        out.append(
            {
                "indicator": item["code"],
                "name": ind.display_name() if ind else item["code"],
                "dimension": ind.dimension if ind else "",
                "value": value,
                "points": int(pts),
                "text": ind.explain(value) if ind else str(value),
            }
        )
    out.sort(key=lambda r: (-abs(r["points"]), r["indicator"]))
    return out
