"""Reusable reads of what is public: an enterprise's disclosed profile (page, API, and
later credit reports), recent publications, and the staff's overdue view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import caches
from django.db.models import QuerySet

from xinjian.collection.models import CommitmentRecord, Inspection, Licence, Penalty, PenaltyStatus
from xinjian.core.workdays import add_working_days, today
from xinjian.registry.models import Enterprise, KeyAreaTag

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


def _replies(enterprise: Enterprise) -> dict[tuple[str, int], dict[str, Any]]:
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for r in EnterpriseReply.objects.filter(enterprise=enterprise, status=ReplyStatus.SHOWN).order_by("submitted_at"):
        # the latest reply per record wins
        out[(r.record_kind, r.record_id)] = {"text": r.text, "submitted_at": r.submitted_at.isoformat()}
    return out


def penalty_item(p: Penalty, names: list[str]) -> dict[str, Any]:
    return {
        "id": p.pk,
        "decision_no": p.decision_no,
        "decided_on": _d(p.decided_on),
        "decided_by": p.decided_by,
        "domain": p.domain,
        "violation": p.violation,
        "penalty_types": list(p.penalty_types),
        "fine_amount": float(p.fine_amount) if p.fine_amount is not None else None,
        "restriction_until": _d(p.restriction_until),
        "legal_basis": p.legal_basis,
        "decision_text": redact(p.decision_text, names=names),
        "published_on": _d(p.published_on),
        "disclosed_until": _d(policy.penalty_disclosed_until(p)),
    }


def inspection_item(i: Inspection) -> dict[str, Any]:
    return {"id": i.pk, "inspected_on": _d(i.inspected_on), "inspected_by": i.inspected_by, "kind": i.kind,
            "result": i.result, "item_code": i.item_code, "findings": redact(i.findings),
            "published_on": _d(i.published_on), "disclosed_until": None}


def licence_item(lic: Licence) -> dict[str, Any]:
    return {"id": lic.pk, "licence_type": lic.licence_type, "licence_no": lic.licence_no,
            "issued_by": lic.issued_by, "issued_on": _d(lic.issued_on), "valid_until": _d(lic.valid_until),
            "status": lic.status, "published_on": _d(policy.licence_published_on(lic)), "disclosed_until": None}


def commitment_item(c: CommitmentRecord) -> dict[str, Any]:
    return {"id": c.pk, "kind": c.kind, "matter": c.matter, "committed_on": _d(c.committed_on),
            "content": redact(c.content), "published_on": _d(policy.commitment_published_on(c)),
            "disclosed_until": None}


def build_profile(enterprise: Enterprise, as_of: dt.date) -> dict[str, Any]:
    """What the disclosure policy allows about `enterprise` on `as_of` — nothing else.
    Risk classes and complaints are not read here at all."""
    from xinjian.lists.disclosure import public_listings

    names = [enterprise.legal_representative]
    replies: dict[tuple[str, int], dict[str, Any]] | None = None

    def with_reply(kind: str, item: dict[str, Any]) -> dict[str, Any]:
        nonlocal replies
        if replies is None:  # read once, and only when there is a record to answer
            replies = _replies(enterprise)
        item["reply"] = replies.get((kind, item["id"]))
        return item

    penalties = [p for p in policy.visible_penalties(Penalty.objects.filter(enterprise=enterprise), as_of)
                 .select_related("enterprise").order_by("-decided_on", "-id")]
    inspections = policy.visible_inspections(Inspection.objects.filter(enterprise=enterprise), as_of) \
        .order_by("-inspected_on", "-id")
    licences = policy.visible_licences(Licence.objects.filter(enterprise=enterprise), as_of) \
        .order_by("-issued_on", "-id")
    commitments = policy.visible_commitments(CommitmentRecord.objects.filter(enterprise=enterprise), as_of) \
        .order_by("-committed_on", "-id")
    listings = public_listings(enterprise, as_of)
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": enterprise.legal_representative,
        "established_on": _d(enterprise.established_on),
        "region_code": enterprise.region_code,
        "status": enterprise.status,
        "address": enterprise.address,
        "key_areas": list(KeyAreaTag.objects.filter(enterprise=enterprise, active=True)
                          .order_by("type__sort_order", "type_id").values_list("type_id", flat=True)),
        "licences": [with_reply(RecordKind.LICENCE, licence_item(x)) for x in licences],
        # The SQL filter and the Python policy agree (tested); the Python check here is a
        # second lock on the door.
        "penalties": [with_reply(RecordKind.PENALTY, penalty_item(p, names)) for p in penalties
                      if policy.penalty_visible(p, as_of)],
        "inspections": [with_reply(RecordKind.INSPECTION, inspection_item(x)) for x in inspections],
        "anomaly_listings": list(listings.get("anomaly_listings") or []),
        "serious_listing": listings.get("serious_listing"),
        "commitments": [with_reply(RecordKind.COMMITMENT, commitment_item(x)) for x in commitments],
        "as_of": as_of.isoformat(),
    }


def _key(uscc: str, as_of: dt.date) -> str:
    return f"disclosure:profile:{uscc}:{as_of.isoformat()}"


def profile(enterprise: Enterprise, as_of: dt.date | None = None, *, use_cache: bool = True) -> dict[str, Any]:
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
    None when the register has no such enterprise."""
    as_of = as_of or today()
    data = caches[CACHE_ALIAS].get(_key(uscc, as_of))
    if data is not None:
        return data
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    return profile(enterprise, as_of) if enterprise is not None else None


def forget_profile(uscc: str, as_of: dt.date | None = None) -> None:
    caches[CACHE_ALIAS].delete(_key(uscc, as_of or today()))


# --- recent publications --------------------------------------------------------------

RECENT_DAYS = 30
RECENT_LIMIT = 100


def recent_publications(kind: str, *, region: str = "", key_area: str = "", on: dt.date | None = None) -> list[Any]:
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
        from xinjian.core.jurisdiction import region_prefix

        qs = qs.filter(enterprise__region_code__startswith=region_prefix(region))
    if key_area:
        qs = qs.filter(enterprise__key_area_tags__type_id=key_area, enterprise__key_area_tags__active=True)
    rows = list(qs.order_by("-published_on", "-id")[:RECENT_LIMIT])
    if kind != "inspections":
        rows = [p for p in rows if policy.penalty_visible(p, on)]
        for p in rows:
            p.disclosed_until_value = policy.penalty_disclosed_until(p)
    return rows


# --- the staff's overdue view -----------------------------------------------------------


def publication_backlog(user: Any, on: dt.date | None = None, limit: int = 200) -> dict[str, list[dict[str, Any]]]:
    """Records waiting for publication or withdrawal in the user's jurisdiction, each with
    its legal deadline and how it was computed."""
    on = on or today()
    out: dict[str, list[dict[str, Any]]] = {"penalties": [], "inspections": [], "withdrawals": []}
    pens = (Penalty.objects.visible_to(user).filter(published_on__isnull=True, enterprise__isnull=False,
                                                    archived_at__isnull=True, status=PenaltyStatus.IN_FORCE,
                                                    disclosure_exception="")
            .select_related("enterprise").order_by("decided_on", "id"))
    for p in pens[: limit * 2]:
        if not policy.publishable(p):
            continue
        days = int(rules.value(RuleKey.PENALTY_PUBLISH_DAYS, p.enterprise.region_code, p.decided_on))
        dl = add_working_days(p.decided_on, days)
        out["penalties"].append({"record": p, "deadline": dl, "overdue": on > dl.due})
        if len(out["penalties"]) >= limit:
            break
    insp = (Inspection.objects.visible_to(user).filter(published_on__isnull=True, enterprise__isnull=False,
                                                       archived_at__isnull=True)
            .select_related("enterprise").order_by("inspected_on", "id"))
    for i in insp[:limit]:
        if not policy.inspection_publishable(i):
            continue
        days = int(rules.value(RuleKey.INSPECTION_PUBLISH_DAYS, i.enterprise.region_code, i.inspected_on))
        dl = add_working_days(i.inspected_on, days)
        out["inspections"].append({"record": i, "deadline": dl, "overdue": on > dl.due})
    revoked = (Penalty.objects.visible_to(user).filter(status=PenaltyStatus.REVOKED, published_on__isnull=False,
                                                       withdrawn_on__isnull=True)
               .select_related("enterprise").order_by("modified_at")[:limit])
    for p in revoked:
        region = p.enterprise.region_code if p.enterprise else ""
        days = int(rules.value(RuleKey.PENALTY_WITHDRAW_DAYS, region, p.decided_on))
        start = p.modified_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        dl = add_working_days(start, days)
        out["withdrawals"].append({"record": p, "deadline": dl, "overdue": on > dl.due})
    return out
