"""Reusable reads of what is public: an enterprise's disclosed profile (page, API, and
later credit reports), recent publications, and the staff's overdue view."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db.models import Exists, OuterRef, QuerySet

from xinjian.collection.models import (
    AnnualReport,
    CommitmentRecord,
    Inspection,
    Licence,
    Penalty,
    PenaltyStatus,
)
from xinjian.commitments.disclosure import public_findings
from xinjian.core.jurisdiction import region_prefix
from xinjian.core.replica import read_connection
from xinjian.core.workdays import add_working_days, local_day, local_time, today
from xinjian.lists.disclosure import public_listings
from xinjian.lists.models import AnomalyListing, SeriousListing
from xinjian.registry.models import Department, Enterprise, KeyAreaTag

from . import policy, rules
from .models import EnterpriseReply, RecordKind, ReplyStatus, RuleKey
from .redaction import redact

# The profile is cached per enterprise and day in Django's "default" cache for
# PROFILE_TTL seconds (docs/adr/0033): a withdrawal shows everywhere within a minute,
# well inside Order 45's 3 working days.
PROFILE_TTL = 60
CACHE_ALIAS = "default"


def _d(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# --- the cold path ----------------------------------------------------------------------
# A cold profile used to cost nine ORM queries whose compilation (the policy's SQL twin
# with its rule segments) took longer than running them. Now (docs/adr/0034):
# - one query reads the enterprise and, per record kind, whether it has anything public
#   today (EXISTS over the same policy querysets); most enterprises have nothing, so most
#   cold profiles are that one query;
# - only the kinds that exist are read;
# - every query is compiled by the ORM once per day and rule-table version, then run with
#   the enterprise swapped into its parameters. The SQL is the ORM's own: the policy
#   still lives only in `policy` (and `lists.queries` for listings).

_ENT = -7_340_912_000_017  # sentinel enterprise id in a compiled query's parameters
_USCC = "\x00uscc\x00"  # sentinel USCC
_compiled: dict[tuple[str, dt.date], tuple[object, str, list[Any], list[int]]] = {}


def _compile(
    name: str, as_of: dt.date, build: Callable[[dt.date], QuerySet[Any]], sentinel: object
) -> tuple[str, list[Any], list[int]]:
    version = rules.table_version()
    hit = _compiled.get((name, as_of))
    if hit is None or hit[0] is not version:
        sql, compiled_params = build(as_of).query.sql_with_params()
        params = list(compiled_params)
        slots = [i for i, v in enumerate(params) if type(v) is type(sentinel) and v == sentinel]
        if not slots:
            raise RuntimeError(f"compiled query {name} lost its parameter")
        if len(_compiled) > 64:
            _compiled.clear()
        hit = (version, sql, params, slots)
        _compiled[(name, as_of)] = hit
    return hit[1], hit[2], hit[3]


def _bind(params: list[Any], slots: list[int], value: object) -> list[Any]:
    out = list(params)
    for i in slots:
        out[i] = value
    return out


def _record_rows(name: str, as_of: dt.date, enterprise_id: int) -> list[Any]:
    sql, params, slots = _compile(name, as_of, _RECORD_QUERIES[name], _ENT)
    return list(_MODELS[name].objects.raw(sql, _bind(params, slots, enterprise_id)))


def _flat_rows(name: str, as_of: dt.date, enterprise_id: int) -> list[Any]:
    sql, params, slots = _compile(name, as_of, _RECORD_QUERIES[name], _ENT)
    with read_connection().cursor() as cur:
        cur.execute(sql, _bind(params, slots, enterprise_id))
        return [r[0] for r in cur.fetchall()]


def _penalties_qs(as_of: dt.date) -> QuerySet[Any]:
    return policy.visible_penalties(Penalty.objects.filter(enterprise_id=_ENT), as_of).order_by(
        "-decided_on", "-id"
    )


def _inspections_qs(as_of: dt.date) -> QuerySet[Any]:
    return policy.visible_inspections(Inspection.objects.filter(enterprise_id=_ENT), as_of).order_by(
        "-inspected_on", "-id"
    )


def _licences_qs(as_of: dt.date) -> QuerySet[Any]:
    return policy.visible_licences(Licence.objects.filter(enterprise_id=_ENT), as_of).order_by(
        "-issued_on", "-id"
    )


def _commitments_qs(as_of: dt.date) -> QuerySet[Any]:
    return policy.visible_commitments(CommitmentRecord.objects.filter(enterprise_id=_ENT), as_of).order_by(
        "-committed_on", "-id"
    )


def _annual_reports_qs(as_of: dt.date) -> QuerySet[Any]:
    return policy.visible_annual_reports(AnnualReport.objects.filter(enterprise_id=_ENT), as_of).order_by(
        "-year", "-id"
    )


def _key_areas_qs(as_of: dt.date) -> QuerySet[Any]:
    return (
        KeyAreaTag.objects.filter(enterprise_id=_ENT, active=True)
        .order_by("type__sort_order", "type_id")
        .values_list("type_id", flat=True)
    )


def _replies_qs(as_of: dt.date) -> QuerySet[Any]:
    return EnterpriseReply.objects.filter(enterprise_id=_ENT, status=ReplyStatus.SHOWN).order_by(
        "submitted_at", "id"
    )


_RECORD_QUERIES: dict[str, Callable[[dt.date], QuerySet[Any]]] = {
    "penalties": _penalties_qs,
    "inspections": _inspections_qs,
    "licences": _licences_qs,
    "commitments": _commitments_qs,
    "key_areas": _key_areas_qs,
    "replies": _replies_qs,
    "annual_reports": _annual_reports_qs,
}
_MODELS: dict[str, Any] = {
    "penalties": Penalty,
    "inspections": Inspection,
    "licences": Licence,
    "commitments": CommitmentRecord,
    "replies": EnterpriseReply,
    "annual_reports": AnnualReport,
}
_KINDS = (
    "penalties",
    "inspections",
    "licences",
    "commitments",
    "key_areas",
    "listings",
    "replies",
    "annual_reports",
)


def _enterprise_qs(as_of: dt.date) -> QuerySet[Any]:
    """The enterprise by USCC with one flag per kind: does it hold any row at all? The
    flags only let the profile skip empty kinds; what is shown still comes from the
    policy's querysets. Plain EXISTS probes on the enterprise foreign keys keep this
    query cheap to plan (the policy's filters inside seven EXISTS took ~1 ms to plan)."""

    ent = OuterRef("pk")
    return (
        Enterprise.objects.filter(uscc=_USCC)
        .annotate(
            has_penalties=Exists(Penalty.objects.filter(enterprise=ent)),
            has_inspections=Exists(Inspection.objects.filter(enterprise=ent)),
            has_licences=Exists(Licence.objects.filter(enterprise=ent)),
            has_commitments=Exists(CommitmentRecord.objects.filter(enterprise=ent)),
            has_key_areas=Exists(KeyAreaTag.objects.filter(enterprise=ent)),
            has_replies=Exists(EnterpriseReply.objects.filter(enterprise=ent)),
            has_annual_reports=Exists(AnnualReport.objects.filter(enterprise=ent)),
            has_listings=Exists(AnomalyListing.objects.filter(enterprise=ent))
            | Exists(SeriousListing.objects.filter(enterprise=ent)),
        )
        .order_by()
        .values_list(*_ENT_FIELDS, *(f"has_{k}" for k in _KINDS))[:1]
    )


# Only what the profile shows (and the key the record queries use).
_ENT_FIELDS = (
    "id",
    "uscc",
    "name",
    "legal_representative",
    "established_on",
    "region_code",
    "status",
    "address",
    # the policy's lower-fine threshold depends on the party type; entity type, capital
    # and business scope are also the register's facts GSXT shows (issue 14)
    "entity_type",
    "registered_capital",
    "business_scope",
)


def _ent_field_order() -> list[str]:
    return [f.attname for f in Enterprise._meta.concrete_fields if f.attname in _ENT_FIELDS]


def _enterprise_with_flags(uscc: str, as_of: dt.date) -> tuple[Enterprise, dict[str, bool]] | None:
    sql, params, slots = _compile("enterprise", as_of, _enterprise_qs, _USCC)
    connection = read_connection()  # the replica inside a public read (core.replica)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            _execute_prepared(connection, cur, sql, params, slots, uscc)
        else:  # sqlite3 keeps its own statement cache per connection
            cur.execute(sql, _bind(params, slots, uscc))
        row = cur.fetchone()
    if row is None:
        return None
    n = len(_ENT_FIELDS)
    values = list(row[:n])
    est = values[_ENT_FIELDS.index("established_on")]
    if isinstance(est, str):  # SQLite hands back the text when read through a bare cursor
        values[_ENT_FIELDS.index("established_on")] = dt.date.fromisoformat(est)
    by_name = dict(zip(_ENT_FIELDS, values, strict=True))
    order = _ent_field_order()  # from_db wants the model's field order
    e = Enterprise.from_db(connection.alias, order, [by_name[f] for f in order])
    return e, {k: bool(v) for k, v in zip(_KINDS, row[n:], strict=True)}


_MARKER = "xj-bind-marker-7f3a"
_prepared_text: dict[str, tuple[str, str]] = {}  # compiled SQL -> (statement name, PREPARE body)


def _execute_prepared(
    connection: Any, cur: Any, sql: str, params: list[Any], slots: list[int], value: str
) -> None:
    """PostgreSQL: run the compiled flag query as a named prepared statement. Planning it
    (seven EXISTS subplans) costs more than running it; `uscc = $1` on a unique index
    has one sensible plan, so a generic plan is safe here (unlike ADR 0031's
    `ILIKE … LIMIT`, which is why preparation stays off globally)."""
    entry = _prepared_text.get(sql)
    if entry is None:
        text = cur.cursor.mogrify(sql, _bind(params, slots, _MARKER))
        literal = f"'{_MARKER}'"
        if text.count(literal) != len(slots):
            cur.execute(sql, _bind(params, slots, value))
            return
        if len(_prepared_text) > 64:
            _prepared_text.clear()
        entry = (f"xj_profile_{len(_prepared_text)}_{abs(hash(sql)) % 10**8}", text.replace(literal, "$1"))
        _prepared_text[sql] = entry
    name, body = entry
    raw = connection.connection
    state = getattr(connection, "_xj_prepared", None)
    if state is None or state[0] is not raw:
        state = (raw, set[str]())
        connection._xj_prepared = state  # type: ignore[attr-defined]
    if name not in state[1]:
        cur.execute(f"PREPARE {name} (text) AS {body}")
        state[1].add(name)
    cur.execute(f"EXECUTE {name} (%s)", [value])


def _replies(enterprise: Enterprise, as_of: dt.date) -> dict[tuple[str, int], dict[str, Any]]:
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for r in _record_rows("replies", as_of, enterprise.pk):
        # the latest reply per record wins
        out[(r.record_kind, r.record_id)] = {
            "text": r.text,
            "submitted_at": local_time(r.submitted_at).isoformat(),
            "submitted_on": local_day(r.submitted_at).isoformat(),
        }
    return out


def penalty_item(p: Penalty, names: list[str]) -> dict[str, Any]:
    return {
        "id": p.pk,
        "decision_no": p.decision_no,
        "decided_on": _d(p.decided_on),
        "decided_by": p.decided_by,
        "domain": p.domain,
        "violation": redact(p.violation, names=names),
        "penalty_types": list(p.penalty_types),
        "fine_amount": float(p.fine_amount) if p.fine_amount is not None else None,
        "restriction_until": _d(p.restriction_until),
        "legal_basis": redact(p.legal_basis, names=names),
        "decision_text": redact(p.decision_text, names=names),
        "published_on": _d(p.published_on),
        "disclosed_until": _d(policy.penalty_disclosed_until(p)),
    }


def inspection_item(i: Inspection) -> dict[str, Any]:
    return {
        "id": i.pk,
        "inspected_on": _d(i.inspected_on),
        "inspected_by": i.inspected_by,
        "kind": i.kind,
        "result": i.result,
        "item_code": i.item_code,
        "findings": redact(i.findings),
        "published_on": _d(i.published_on),
        "disclosed_until": None,
    }


def licence_item(lic: Licence) -> dict[str, Any]:
    return {
        "id": lic.pk,
        "licence_type": lic.licence_type,
        "licence_no": lic.licence_no,
        "issued_by": lic.issued_by,
        "issued_on": _d(lic.issued_on),
        "valid_until": _d(lic.valid_until),
        "status": lic.status,
        "published_on": _d(policy.licence_published_on(lic)),
        "disclosed_until": None,
    }


def commitment_item(c: CommitmentRecord) -> dict[str, Any]:
    return {
        "id": c.pk,
        "kind": c.kind,
        "matter": c.matter,
        "committed_on": _d(c.committed_on),
        "content": redact(c.content),
        "published_on": _d(policy.commitment_published_on(c)),
        "disclosed_until": None,
    }


def build_profile(
    enterprise: Enterprise, as_of: dt.date, *, present: dict[str, bool] | None = None
) -> dict[str, Any]:
    """What the disclosure policy allows about `enterprise` on `as_of` — nothing else.
    Risk classes and complaints are not read here at all. `present` (from
    `_enterprise_with_flags`) skips the kinds the enterprise has nothing public in."""

    names = [enterprise.legal_representative]
    replies: dict[tuple[str, int], dict[str, Any]] | None = None

    def want(kind: str) -> bool:
        return present is None or present[kind]

    def with_reply(kind: str, item: dict[str, Any]) -> dict[str, Any]:
        nonlocal replies
        if replies is None:  # read once, and only when there is a record to answer
            replies = _replies(enterprise, as_of) if want("replies") else {}
        item["reply"] = replies.get((kind, item["id"]))
        return item

    penalties = _record_rows("penalties", as_of, enterprise.pk) if want("penalties") else []
    for p in penalties:
        p.enterprise = enterprise  # the policy reads the region from it
    inspections = _record_rows("inspections", as_of, enterprise.pk) if want("inspections") else []
    licences = _record_rows("licences", as_of, enterprise.pk) if want("licences") else []
    commitments = _record_rows("commitments", as_of, enterprise.pk) if want("commitments") else []
    listings = public_listings(enterprise, as_of) if want("listings") else {}
    # A finding rests on a commitment: none without one (commitments.disclosure).
    findings = public_findings(enterprise, as_of) if want("commitments") else []
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": enterprise.legal_representative,
        "established_on": _d(enterprise.established_on),
        "region_code": enterprise.region_code,
        "status": enterprise.status,
        "address": enterprise.address,
        "entity_type": enterprise.entity_type,
        "registered_capital": (
            float(enterprise.registered_capital) if enterprise.registered_capital is not None else None
        ),
        "business_scope": enterprise.business_scope,
        "registration_authority": registration_authority(enterprise.region_code),
        "annual_reports": [
            {"year": r.year, "filed_on": _d(r.filed_on), "on_time": r.on_time}
            for r in (_record_rows("annual_reports", as_of, enterprise.pk) if want("annual_reports") else [])
        ],
        "key_areas": _flat_rows("key_areas", as_of, enterprise.pk) if want("key_areas") else [],
        "licences": [with_reply(RecordKind.LICENCE, licence_item(x)) for x in licences],
        # The SQL filter and the Python policy agree (tested); the Python check here is a
        # second lock on the door.
        "penalties": [
            with_reply(RecordKind.PENALTY, penalty_item(p, names))
            for p in penalties
            if policy.penalty_visible(p, as_of)
        ],
        "inspections": [with_reply(RecordKind.INSPECTION, inspection_item(x)) for x in inspections],
        "anomaly_listings": list(listings.get("anomaly_listings") or []),
        "serious_listing": listings.get("serious_listing"),
        "commitments": [with_reply(RecordKind.COMMITMENT, commitment_item(x)) for x in commitments],
        "commitment_findings": findings,
        "as_of": as_of.isoformat(),
    }


@functools.lru_cache(maxsize=4096)  # departments are reference data: one read per division
def registration_authority(region_code: str) -> str:
    """The registering authority (登记机关) as GSXT names it: the market-regulation
    department of the enterprise's division, else of the nearest division above it."""
    for code in (region_code, region_code[:4] + "00", region_code[:2] + "0000"):
        name = Department.objects.filter(division_id=code).values_list("name", flat=True).first()
        if name:
            return name
    return ""


def _key(uscc: str, as_of: dt.date) -> str:
    return f"disclosure:profile:{uscc}:{as_of.isoformat()}"


def profile(
    enterprise: Enterprise, as_of: dt.date | None = None, *, use_cache: bool = True
) -> dict[str, Any]:
    as_of = as_of or today()
    if not use_cache:
        return build_profile(enterprise, as_of)
    cache = caches[CACHE_ALIAS]
    data = cache.get(_key(enterprise.uscc, as_of))
    if data is None:
        data = build_profile(enterprise, as_of)
        cache.set(_key(enterprise.uscc, as_of), data, PROFILE_TTL)
    return data


def profile_by_uscc(uscc: str, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """The cached profile for a (normalised) USCC without touching the database on a hit;
    None when the register has no such enterprise. A miss reads the enterprise and what
    it has public in one query, then only the kinds that exist."""
    as_of = as_of or today()
    cache = caches[CACHE_ALIAS]
    data = cache.get(_key(uscc, as_of))
    if data is not None:
        return data
    found = _enterprise_with_flags(uscc, as_of)
    if found is None:
        return None
    enterprise, present = found
    data = build_profile(enterprise, as_of, present=present)
    cache.set(_key(uscc, as_of), data, PROFILE_TTL)
    return data


def forget_profile(uscc: str, as_of: dt.date | None = None) -> None:
    caches[CACHE_ALIAS].delete(_key(uscc, as_of or today()))


# --- recent publications --------------------------------------------------------------

RECENT_DAYS = 30
RECENT_LIMIT = 100


def recent_publications(
    kind: str, *, region: str = "", key_area: str = "", on: dt.date | None = None
) -> list[Any]:
    """The newest publications (last 30 days, at most 100: no paging through history)."""
    on = on or today()
    since = on - dt.timedelta(days=RECENT_DAYS)
    qs: QuerySet[Any]
    if kind == "inspections":
        qs = policy.visible_inspections(Inspection.objects.all(), on)
    else:
        qs = policy.visible_penalties(Penalty.objects.all(), on)
    qs = qs.filter(published_on__gte=since).select_related("enterprise")
    if region.isdigit() and len(region) == 6:
        qs = qs.filter(enterprise__region_code__startswith=region_prefix(region))
    if key_area:
        qs = qs.filter(enterprise__key_area_tags__type_id=key_area, enterprise__key_area_tags__active=True)
    rows: list[Any] = list(qs.order_by("-published_on", "-id")[:RECENT_LIMIT])
    if kind != "inspections":
        rows = [p for p in rows if policy.penalty_visible(p, on)]
        for p in rows:
            p.disclosed_until_value = policy.penalty_disclosed_until(p)
            # Free text reaches the public only through redaction (domain.md §5).
            p.public_violation = redact(p.violation, names=[p.enterprise.legal_representative])
    return rows


# --- the staff's overdue view -----------------------------------------------------------


def publication_backlog(
    user: Any, on: dt.date | None = None, limit: int = 200
) -> dict[str, list[dict[str, Any]]]:
    """Records waiting for publication or withdrawal in the user's jurisdiction, each with
    its legal deadline and how it was computed."""
    on = on or today()
    out: dict[str, list[dict[str, Any]]] = {"penalties": [], "inspections": [], "withdrawals": []}
    pens = (
        Penalty.objects.visible_to(user)
        .filter(
            published_on__isnull=True,
            enterprise__isnull=False,
            archived_at__isnull=True,
            status=PenaltyStatus.IN_FORCE,
            disclosure_exception="",
        )
        .select_related("enterprise")
        .order_by("decided_on", "id")
    )
    for p in pens[: limit * 2]:
        if not policy.publishable(p):
            continue
        days = int(
            rules.value(
                RuleKey.PENALTY_PUBLISH_DAYS, p.enterprise.region_code if p.enterprise else "", p.decided_on
            )
        )
        dl = add_working_days(p.decided_on, days)
        out["penalties"].append({"record": p, "deadline": dl, "overdue": on > dl.due})
        if len(out["penalties"]) >= limit:
            break
    insp = (
        Inspection.objects.visible_to(user)
        .filter(published_on__isnull=True, enterprise__isnull=False, archived_at__isnull=True)
        .select_related("enterprise")
        .order_by("inspected_on", "id")
    )
    for i in insp[:limit]:
        if not policy.inspection_publishable(i):
            continue
        days = int(
            rules.value(
                RuleKey.INSPECTION_PUBLISH_DAYS,
                i.enterprise.region_code if i.enterprise else "",
                i.inspected_on,
            )
        )
        dl = add_working_days(i.inspected_on, days)
        out["inspections"].append({"record": i, "deadline": dl, "overdue": on > dl.due})
    revoked = (
        Penalty.objects.visible_to(user)
        .filter(status=PenaltyStatus.REVOKED, published_on__isnull=False, withdrawn_on__isnull=True)
        .select_related("enterprise")
        .order_by("modified_at")[:limit]
    )
    for p in revoked:
        region = p.enterprise.region_code if p.enterprise else ""
        days = int(rules.value(RuleKey.PENALTY_WITHDRAW_DAYS, region, p.decided_on))
        start = local_day(p.modified_at)
        dl = add_working_days(start, days)
        out["withdrawals"].append({"record": p, "deadline": dl, "overdue": on > dl.due})
    return out
