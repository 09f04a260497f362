"""What every bench script needs and none should write again: a PostgreSQL database to
run in, a free port for a server under test, latencies and their p95, unbuffered output."""

from __future__ import annotations

import socket
import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any


def log(msg: str) -> None:
    print(msg, flush=True)


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[18] if len(xs) >= 20 else max(xs)


def timed(fn: Callable[[Any], Any], args_list: Iterable[Any]) -> list[float]:
    """Milliseconds of each call of `fn`, one per argument."""
    out = []
    for a in args_list:
        t = time.perf_counter()
        fn(a)
        out.append((time.perf_counter() - t) * 1000)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database `url` names if it does not exist (SQLite: nothing)."""
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    name = name.split("?")[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bare_aggregation_seconds(indicators: list[Any], as_of: Any) -> float:
    """Seconds PostgreSQL (or SQLite) takes to aggregate `indicators` for every enterprise as
    of `as_of` and sum them: the baseline a full rescore is judged against (ADR 0041).
    Call after django.setup()."""
    from django.db import connection

    from xinjian.risk.indicators import aggregation_sql

    sql = (
        f"SELECT COUNT(*), {', '.join(f'SUM(v_{i})' for i in range(len(indicators)))} "
        f"FROM ({aggregation_sql(indicators, as_of)}) a"
    )
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql)
        cur.fetchall()
    return time.perf_counter() - t
