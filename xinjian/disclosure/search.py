"""Public enterprise search (docs/adr/0031): by USCC, old registration number or a name
fragment of 2+ characters, with the true count, pages and filters (region, key-area type,
registration status) — `search_page`. `search` is the first page of 50, as the v1.0 API
served it.

Name fragments are served by our own bigram index (`SearchGram`): every 2-character
window of the normalised name, one row each. A 2-character fragment — the most common
query for Chinese names (华为, 茅台) — is one index range read in enterprise order and cut
at 50. A longer fragment starts from its rarest bigram (per-bigram counts kept in
`SearchGramStat`, one primary-key read) and checks the full fragment against the normalised name
row by row in the same query, stopping at 50. The same SQL runs on SQLite and
PostgreSQL; the plan (index range on (gram, enterprise_id), then primary-key probes) does
not depend on the parameter values, so a prepared generic plan is the same plan.

The index is derived data, rebuilt from the register: new enterprises are picked up by
id, renamed ones from `enterprise.changed` events (`refresh`, run by the
`disclosure.search_index` clock and `manage.py refresh_search_index`).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext

from xinjian.core.errors import DomainError, field_error
from xinjian.core.events import EventType, consume
from xinjian.core.jurisdiction import region_prefix
from xinjian.core.replica import read_connection
from xinjian.registry.identifiers import IdentifierError, normalize_uscc
from xinjian.registry.models import Enterprise, EnterpriseStatus, KeyAreaTag, KeyAreaType

from .models import SearchGram, SearchGramStat, SearchName

MAX_RESULTS = 50
# PostgreSQL only (migration disclosure 0007): pg_trgm GIN on SearchName.name_norm.
TRGM_INDEX = "disclosure_searchname_trgm"
MIN_FRAGMENT = 2
MAX_FRAGMENT = 60


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), case-folded, without whitespace or control
    characters (a NUL cannot even be sent to PostgreSQL)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "C")


def bigrams(norm: str) -> list[str]:
    return sorted({norm[i : i + 2] for i in range(len(norm) - 1)})


class QueryTooShort(DomainError):
    code = "query_too_short"


PAGE_SIZE = 20
# The count is exact up to COUNT_CAP matches and shown as "more than" beyond it; pages
# reach the first MAX_PAGED matches (a longer list is refined, not paged through).
COUNT_CAP = 10_000
MAX_PAGED = 1_000


@dataclass(frozen=True)
class Filters:
    """Public filters: a division (its whole subtree), a key-area type, a registration status."""

    region: str = ""
    key_area: str = ""
    status: str = ""

    @classmethod
    def parse(cls, region: str | None, key_area: str | None, status: str | None) -> Filters:
        region, key_area, status = (region or "").strip(), (key_area or "").strip(), (status or "").strip()
        errors = []
        if region:
            try:
                region_prefix(region)
            except ValueError:
                errors.append(field_error("region", "invalid", gettext("请输入6位行政区划代码")))
        if key_area and not KeyAreaType.objects.filter(code=key_area, enabled=True).exists():
            errors.append(field_error("key_area", "invalid", gettext("没有这个重点领域类型")))
        if status and status not in EnterpriseStatus.values:
            errors.append(field_error("status", "invalid", gettext("没有这个登记状态")))
        if errors:
            raise DomainError(gettext("筛选条件有误"), details=errors)
        return cls(region, key_area, status)

    def sql(self) -> tuple[str, list[Any]]:
        """Extra `AND …` conditions on the register row `e`, with their parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.region:
            parts.append("e.region_code LIKE %s")
            params.append(region_prefix(self.region) + "%")
        if self.status:
            parts.append("e.status = %s")
            params.append(self.status)
        if self.key_area:
            parts.append(
                f"EXISTS (SELECT 1 FROM {KeyAreaTag._meta.db_table} t "
                "WHERE t.enterprise_id = e.id AND t.type_id = %s AND t.active)"
            )
            params.append(self.key_area)
        return "".join(f" AND {p}" for p in parts), params


@dataclass
class Page:
    results: list[Enterprise]
    count: int  # exact when `count_exact`, else at least COUNT_CAP + 1
    count_exact: bool
    page: int
    page_size: int
    pages: int  # how many pages can be shown (MAX_PAGED bounds them)
    filters: Filters = field(default_factory=Filters)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search(q: str, limit: int = MAX_RESULTS) -> list[Enterprise]:
    """Enterprises matching `q`, at most `limit` (≤ 50), in register order."""
    return search_page(q, page=1, page_size=min(limit, MAX_RESULTS)).results


def search_page(q: str, page: int = 1, page_size: int = PAGE_SIZE, filters: Filters | None = None) -> Page:
    """One page of the enterprises matching `q` and `filters`, in register order, with
    the number of all matches."""
    filters = filters or Filters()
    page_size = max(1, min(page_size, MAX_RESULTS))
    pages_max = max(1, MAX_PAGED // page_size)
    if page < 1 or page > pages_max:
        raise DomainError(
            gettext("页码超出范围"),
            details=[field_error("page", "out_of_range", gettext("页码应在1到%(n)s之间") % {"n": pages_max})],
        )
    raw = "".join(ch for ch in (q or "") if unicodedata.category(ch)[0] != "C").strip()
    try:
        uscc = normalize_uscc(raw)
    except IdentifierError:
        uscc = None
    norm = normalize(raw)
    order = "e.id"
    if uscc:
        base, params = f"FROM {Enterprise._meta.db_table} e WHERE e.uscc = %s", [uscc]
    elif norm.isdigit() and len(norm) == 15:
        base, params = f"FROM {Enterprise._meta.db_table} e WHERE e.registration_no = %s", [norm]
    else:
        # Postings order: the (gram, enterprise_id) index range is read in this order.
        order = "g.enterprise_id"
        if len(norm) < MIN_FRAGMENT:
            raise QueryTooShort(
                gettext("请输入至少2个字的企业名称、统一社会信用代码或注册号"),
                details=[field_error("q", "too_short", gettext("至少2个字"))],
            )
        if len(norm) > MAX_FRAGMENT:
            raise DomainError(
                gettext("查询内容过长"),
                details=[
                    field_error(
                        "q", "too_long", gettext("至多%(MAX_FRAGMENT)s个字") % {"MAX_FRAGMENT": MAX_FRAGMENT}
                    )
                ],
            )
        base, params = _fragment_from(norm)
    extra, extra_params = filters.sql()
    if extra or order == "e.id":
        count = _count(base + extra, params + extra_params)
    elif len(norm) > 2 and read_connection().vendor == "postgresql":
        # PostgreSQL counts a longer fragment's matches through the pg_trgm index on the
        # names (a bitmap read in table order, ADR 0099): walking the rarest bigram's
        # postings probed up to 10,001 / density names one by one (~80 ms p95 at 1M).
        count = _count(f"FROM {SearchName._meta.db_table} s WHERE s.name_norm LIKE %s", [_like(norm)])
    else:
        # Without a filter on the register row the postings alone say how many match: a
        # 2-character count is an index-only range read (joined to the register it probed
        # up to 10,001 register rows, ~60 ms at 1M). Every posting is a registered
        # enterprise's (the index is built from the register, which never deletes).
        count = _count(*_fragment_from(norm, register=False))
    base, params = base + extra, params + extra_params
    exact = count <= COUNT_CAP
    offset = (page - 1) * page_size
    results = list(
        Enterprise.objects.raw(
            f"SELECT e.* {base} ORDER BY {order} LIMIT %s OFFSET %s", [*params, page_size, offset]
        )
    )
    pages = max(1, min(pages_max, -(-min(count, MAX_PAGED) // page_size)))
    return Page(_with_tags(results), count, exact, page, page_size, pages, filters)


def _count(base: str, params: list[Any]) -> int:
    """How many rows `base` yields, counting at most COUNT_CAP + 1 (a common fragment's
    postings are not walked to the end just to print a number)."""
    with read_connection().cursor() as cur:  # the replica inside a public read (core.replica)
        cur.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT %s) c", [*params, COUNT_CAP + 1])
        return int(cur.fetchone()[0])


def _fragment_from(norm: str, register: bool = True) -> tuple[str, list[Any]]:
    """The `FROM … WHERE …` of the bigram postings joined to the register, in enterprise
    order (`e.id` = `g.enterprise_id`); `register=False` leaves the register out (a count
    without filters). For 3+ characters the rarest bigram is chosen inside the same
    statement from the count table, and a bigram no name holds makes the answer empty at
    once."""
    gram_t, name_t, stat_t = (
        SearchGram._meta.db_table,
        SearchName._meta.db_table,
        SearchGramStat._meta.db_table,
    )
    ent_t = Enterprise._meta.db_table
    join_e = f" JOIN {ent_t} e ON e.id = g.enterprise_id" if register else ""
    if len(norm) == 2:
        return f"FROM {gram_t} g{join_e} WHERE g.gram = %s", [norm]
    grams = bigrams(norm)
    marks = ", ".join(["%s"] * len(grams))
    # The name check is a substring position, not `LIKE '%…%'`: the planner estimates a
    # LIKE on names as a few dozen matches, and at 5M enterprises it then read every
    # posting of the rarest bigram in parallel and sorted them (2.7 s for 健康管理, 86,000
    # matches). A function's comparison gets the default third, so the plan is the ordered
    # walk that stops at the page's end (1 ms). Same answer: a plain substring test.
    where_name = (
        "strpos(s.name_norm, %s) > 0" if connection.vendor == "postgresql" else "instr(s.name_norm, %s) > 0"
    )
    sql = (
        f"FROM {gram_t} g JOIN {name_t} s ON s.enterprise_id = g.enterprise_id{join_e} "
        f"WHERE g.gram = (SELECT gram FROM {stat_t} WHERE gram IN ({marks}) ORDER BY n, gram LIMIT 1) "
        f"AND (SELECT COUNT(*) FROM {stat_t} WHERE gram IN ({marks}) AND n > 0) = %s "
        f"AND {where_name}"
    )
    return sql, [*grams, *grams, len(grams), norm]


def _like(norm: str) -> str:
    """`%norm%` with LIKE's wildcards escaped (backslash: PostgreSQL's default escape), for
    the trigram count."""
    return "%" + norm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def fragment_search(norm: str, limit: int) -> list[Enterprise]:
    """The first `limit` enterprises whose normalised name holds `norm` (one query)."""
    base, params = _fragment_from(norm)
    return list(
        Enterprise.objects.raw(f"SELECT e.* {base} ORDER BY g.enterprise_id LIMIT %s", [*params, limit])
    )


def _with_tags(enterprises: list[Enterprise]) -> list[Enterprise]:
    tags: dict[int, list[str]] = {}
    if enterprises:
        for eid, code in (
            KeyAreaTag.objects.filter(enterprise_id__in=[e.pk for e in enterprises], active=True)
            .order_by("type__sort_order", "type_id")
            .values_list("enterprise_id", "type_id")
        ):
            tags.setdefault(eid, []).append(code)
    for e in enterprises:
        e.key_area_codes = tags.get(e.pk, [])  # type: ignore[attr-defined]
    return enterprises


# --- maintenance -----------------------------------------------------------------------


def _bump(deltas: dict[str, int]) -> None:
    """Apply bigram count changes to SearchGramStat."""
    deltas = {g: d for g, d in deltas.items() if d}
    if not deltas:
        return
    existing = set(SearchGramStat.objects.filter(gram__in=list(deltas)).values_list("gram", flat=True))
    SearchGramStat.objects.bulk_create(
        [SearchGramStat(gram=g, n=0) for g in deltas if g not in existing], ignore_conflicts=True
    )
    from django.db.models import F

    by_delta: dict[int, list[str]] = {}
    for g, d in deltas.items():
        by_delta.setdefault(d, []).append(g)
    for d, gs in by_delta.items():
        SearchGramStat.objects.filter(gram__in=gs).update(n=F("n") + d)


def _insert(names: list[tuple[int, str]]) -> int:
    """Write SearchName and SearchGram rows for (enterprise_id, name) pairs, fast: COPY on
    PostgreSQL, executemany on SQLite."""
    name_rows = [(eid, normalize(n)) for eid, n in names]
    gram_rows = [(eid, g) for eid, norm in name_rows for g in bigrams(norm)]
    gram_t, name_t = SearchGram._meta.db_table, SearchName._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table, cols, rows in (
                (name_t, "enterprise_id, name_norm", name_rows),
                (gram_t, "enterprise_id, gram", gram_rows),
            ):
                buf = io.StringIO()
                for a, b in rows:
                    buf.write(f"{a}\t{_copy_escape(b)}\n")
                with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    copy.write(buf.getvalue())
        else:
            cur.executemany(f"INSERT INTO {name_t} (enterprise_id, name_norm) VALUES (%s, %s)", name_rows)
            cur.executemany(f"INSERT INTO {gram_t} (enterprise_id, gram) VALUES (%s, %s)", gram_rows)
    return len(name_rows)


def _copy_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def index_enterprises(ids: Iterable[int]) -> int:
    """(Re)index these enterprises."""
    ids = list(ids)
    done = 0
    for i in range(0, len(ids), 5000):
        part = ids[i : i + 5000]
        with transaction.atomic():
            from collections import Counter

            deltas: Counter[str] = Counter()
            deltas.subtract(SearchGram.objects.filter(enterprise_id__in=part).values_list("gram", flat=True))
            SearchGram.objects.filter(enterprise_id__in=part).delete()
            SearchName.objects.filter(enterprise_id__in=part).delete()
            rows = list(Enterprise.objects.filter(pk__in=part).values_list("pk", "name"))
            deltas.update(g for _pk, name in rows for g in bigrams(normalize(name)))
            done += _insert(rows)
            _bump(dict(deltas))
    return done


def rebuild(chunk: int = 50_000, progress: Any = None) -> int:
    """Drop and rebuild the whole index (after a bulk load of the register)."""
    gram_t, name_t = SearchGram._meta.db_table, SearchName._meta.db_table
    with connection.cursor() as cur:
        # TRUNCATE / DELETE without per-row work; the bigram indexes are dropped during
        # the load and built once at the end (much faster than maintaining them per row).
        stat_t = SearchGramStat._meta.db_table
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {gram_t}, {name_t}, {stat_t}")
        else:
            cur.execute(f"DELETE FROM {gram_t}")
            cur.execute(f"DELETE FROM {name_t}")
            cur.execute(f"DELETE FROM {stat_t}")
    indexes = [(idx.name, ", ".join(idx.fields)) for idx in SearchGram._meta.indexes]
    # The trigram index on the names (PostgreSQL) too, outside a transaction: inside one
    # (tests) the names' pending foreign-key checks forbid building it, so it is kept.
    trgm = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cur:
        for name, _cols in indexes:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        if trgm:
            cur.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
    done, last = 0, 0
    try:
        while True:
            rows = list(
                Enterprise.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "name")[:chunk]
            )
            if not rows:
                break
            with transaction.atomic():
                done += _insert(rows)
            last = rows[-1][0]
            if progress:
                progress(done)
    finally:
        with connection.cursor() as cur:
            for name, cols in indexes:
                cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {gram_t} ({cols})")
            if trgm:
                cur.execute(
                    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON {name_t} USING gin (name_norm gin_trgm_ops)"
                )
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {stat_t} (gram, n) SELECT gram, COUNT(*) FROM {gram_t} GROUP BY gram")
        if connection.vendor == "postgresql":
            # VACUUM sets the visibility map so 2-character queries are index-only scans;
            # it cannot run inside a transaction (tests), where ANALYZE is enough.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            for t in (gram_t, name_t, stat_t):
                cur.execute(f"{verb} {t}")
        else:
            cur.execute("ANALYZE")
    return done


def refresh() -> int:
    """Index enterprises registered since the last run (by id) and renamed ones (from
    the event log). Idempotent."""

    high = SearchName.objects.aggregate(m=Max("enterprise_id"))["m"] or 0
    new_ids = list(Enterprise.objects.filter(pk__gt=high).order_by("pk").values_list("pk", flat=True))
    done = index_enterprises(new_ids)
    changed: set[str] = set()

    def handle(events: list[Any]) -> None:
        changed.update(e.uscc for e in events if e.type == EventType.ENTERPRISE_CHANGED and e.uscc)

    while consume("disclosure.search_index", handle, batch=5000):
        pass
    if changed:
        done += index_enterprises(Enterprise.objects.filter(uscc__in=changed).values_list("pk", flat=True))
    return done
