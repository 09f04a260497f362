"""The disclosure policy: for any record and any date, is it public, and until when
(architecture rule 5). Public pages, the public API, the open-data exports and credit
reports all ask this module; nothing else decides.

Two forms of the same rules:
- `visible(record, as_of)` / `disclosed_until(record)` for one record in Python;
- `visible_penalties(qs, as_of)` etc. for querysets (lists, exports), in SQL.
A test runs both over every edge case and asserts they agree.

Kinds that are never public (complaints, risk classes, annual-report internals) have no
entry here: `visible` refuses them, so a caller cannot publish them by mistake.

Everything computed from public records is computed from what this module lets through
on the day: the list entries (`visible_anomaly_listings`, `visible_serious_listings`),
typical cases, and the repeat-offender exposure (`exposure`), which counts only penalties
still disclosed on the day (issue 12 item 1: a penalty whose period ended no longer names
its enterprise).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, TextField
from django.db.models.functions import Cast

from xinjian.collection.models import (
    AnnualReport,
    CommitmentRecord,
    Inspection,
    InspectionKind,
    Licence,
    Penalty,
    PenaltyProcedure,
    PenaltyStatus,
    PenaltyType,
)
from xinjian.core.workdays import SHANGHAI, local_day
from xinjian.lists import rules as list_rules
from xinjian.lists.models import (
    AnomalyListing,
    AnomalyStatus,
    CaseStatus,
    SeriousListing,
    SeriousStatus,
    TypicalCase,
)
from xinjian.registry.identifiers import (
    INDIVIDUAL_BUSINESS,
    LEGAL_PERSON,
    NON_LEGAL_PERSON_MARKERS,
    OTHER_ORGANISATION,
    party_type,
)
from xinjian.registry.models import Enterprise

from . import rules
from .models import RuleKey

# Order 45 art. 13: the penalty kinds that, alone or together, make a "light" penalty shown
# for the short period — criticism and a lower-amount fine (a warning adds nothing).
_LIGHT_TYPES = frozenset({PenaltyType.WARNING, PenaltyType.CRITICISM, PenaltyType.FINE})


class NeverPublic(TypeError):
    """Asked about a record kind that is never disclosed (complaints, risk classes)."""


def add_months(d: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later; the month's last day when there is none
    (a period counted in months ends on the corresponding day, Civil Code art. 202)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def earliest_start_still_running(as_of: dt.date, months: int) -> dt.date:
    """The earliest start date whose `months`-long period still covers `as_of`: the SQL
    form of `add_months(start, months) >= as_of` (add_months is monotonic in start)."""
    guess = add_months(as_of, -months)
    while add_months(guess, months) >= as_of:
        guess -= dt.timedelta(days=1)
    guess += dt.timedelta(days=1)
    while add_months(guess, months) < as_of:
        guess += dt.timedelta(days=1)
    return guess


# --- penalties ------------------------------------------------------------------------


def is_warning_only(p: Penalty) -> bool:
    # Order 45 art. 6: a penalty that is only a warning is not published.
    return not p.penalty_types or set(p.penalty_types) <= {PenaltyType.WARNING}


def is_light(p: Penalty) -> bool:
    """Only criticism and/or a lower-amount fine (Order 45 art. 13): the 3-month class."""
    types = set(p.penalty_types)
    if not types <= _LIGHT_TYPES:
        return False
    if PenaltyType.FINE in types:
        if p.fine_amount is None:
            return False  # an amount we do not know is not "lower": the longer period applies
        threshold = rules.value(lower_fine_key(p.enterprise), _region(p), p.decided_on)
        return Decimal(p.fine_amount) <= threshold
    return True


# The lower-amount fine threshold by the party's type (Order 45 art. 13, set per province).
LOWER_FINE_KEYS = {
    LEGAL_PERSON: RuleKey.PENALTY_LOWER_FINE,
    OTHER_ORGANISATION: RuleKey.PENALTY_LOWER_FINE_OTHER_ORG,
    INDIVIDUAL_BUSINESS: RuleKey.PENALTY_LOWER_FINE_INDIVIDUAL,
}


def lower_fine_key(enterprise: Any) -> str:
    if enterprise is None:
        return RuleKey.PENALTY_LOWER_FINE
    return LOWER_FINE_KEYS[party_type(enterprise.uscc, enterprise.entity_type)]


def _party_q(kind: str, prefix: str = "enterprise__") -> Q:
    """The SQL form of `registry.identifiers.party_type`."""
    individual = Q(**{f"{prefix}uscc__startswith": "92"})
    other = Q()
    for marker in NON_LEGAL_PERSON_MARKERS:
        other |= Q(**{f"{prefix}entity_type__contains": marker})
    if kind == INDIVIDUAL_BUSINESS:
        return individual
    if kind == OTHER_ORGANISATION:
        return ~individual & other
    return ~individual & ~other


def _region(record: Any) -> str:
    ent = getattr(record, "enterprise", None)
    return ent.region_code if ent is not None else ""


def publishable(p: Penalty) -> bool:
    """May this penalty be published at all (independent of dates)?"""
    return (
        p.enterprise_id is not None
        and p.archived_at is None
        and p.status == PenaltyStatus.IN_FORCE
        # Order 45 art. 6 (v1.1 `procedure`): only decisions of the ordinary procedure.
        and p.procedure == PenaltyProcedure.ORDINARY
        and not p.disclosure_exception  # privacy, national security, state secret, public interest
        and not is_warning_only(p)
    )


def penalty_disclosed_until(p: Penalty) -> dt.date | None:
    """The last day the penalty is shown (inclusive); None while unpublished. A period of
    N months starting on day D ends on the corresponding day N months later, that day
    included (Civil Code art. 201/202) — the same convention as the serious list's
    `expires_on` (lists.rules.period_end)."""
    if p.published_on is None:
        return None
    return _period_end(p, p.published_on)


def still_due_on(p: Penalty, on: dt.date) -> bool:
    """Would the penalty still be shown on `on` had it been published on its decision
    day? A late import of a record whose period has run out is not a new publication;
    one whose restriction of business or practice still runs is (Order 45 art. 13: the
    period is the longer of 3 years and the restriction)."""
    return _period_end(p, p.decided_on) >= on


def _period_end(p: Penalty, start: dt.date) -> dt.date:
    region = _region(p)
    if is_light(p):
        months = int(rules.value(RuleKey.PENALTY_SHORT_MONTHS, region, p.decided_on))
        return add_months(start, months)
    months = int(rules.value(RuleKey.PENALTY_LONG_MONTHS, region, p.decided_on))
    until = add_months(start, months)
    # Order 45 art. 13: as long as a restriction of business or practice lasts, if longer.
    if p.restriction_until and p.restriction_until > until:
        until = p.restriction_until
    return until


def penalty_visible(p: Penalty, as_of: dt.date) -> bool:
    if not publishable(p) or p.published_on is None or p.published_on > as_of:
        return False
    if p.withdrawn_on is not None and p.withdrawn_on <= as_of:
        return False
    # Repair Measures: publication stopped early by credit repair.
    if p.publication_stopped_on is not None and p.publication_stopped_on <= as_of:
        return False
    until = penalty_disclosed_until(p)
    return until is not None and as_of <= until


def _types_text() -> Cast:
    return Cast("penalty_types", TextField())


def _has_type(t: str) -> Q:
    # The JSON list as text holds `"fine"` whatever the separators; the same test on
    # SQLite and PostgreSQL (JSON `contains` is not available on SQLite).
    return Q(types_text__contains=f'"{t}"')


def visible_penalties(qs: QuerySet[Penalty], as_of: dt.date) -> QuerySet[Penalty]:
    qs = qs.annotate(types_text=_types_text())
    base = (
        Q(
            enterprise__isnull=False,
            archived_at__isnull=True,
            status=PenaltyStatus.IN_FORCE,
            procedure=PenaltyProcedure.ORDINARY,
            disclosure_exception="",
            published_on__isnull=False,
            published_on__lte=as_of,
        )
        & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=as_of))
        & (Q(publication_stopped_on__isnull=True) | Q(publication_stopped_on__gt=as_of))
    )
    not_warning_only = Q()
    for t in PenaltyType.values:
        if t != PenaltyType.WARNING:
            not_warning_only |= _has_type(t)
    only_light_types = Q()
    for t in PenaltyType.values:
        if t not in _LIGHT_TYPES:
            only_light_types &= ~_has_type(t)
    region, decided = "enterprise__region_code", "decided_on"
    lower_fine = Q()
    for kind, key in LOWER_FINE_KEYS.items():
        for cond, threshold in rules.segments(key, decided, region):
            lower_fine |= _party_q(kind) & cond & Q(fine_amount__lte=threshold)
    light = only_light_types & (~_has_type(PenaltyType.FINE) | (Q(fine_amount__isnull=False) & lower_fine))
    short_running = Q()
    for cond, months in rules.segments(RuleKey.PENALTY_SHORT_MONTHS, decided, region):
        short_running |= cond & Q(published_on__gte=earliest_start_still_running(as_of, int(months)))
    long_running = Q(restriction_until__gte=as_of)
    for cond, months in rules.segments(RuleKey.PENALTY_LONG_MONTHS, decided, region):
        long_running |= cond & Q(published_on__gte=earliest_start_still_running(as_of, int(months)))
    period = (light & short_running) | (~light & long_running)
    return qs.filter(base & not_warning_only & period)


# --- inspection results -----------------------------------------------------------------


def inspection_publishable(i: Inspection) -> bool:
    # A result of a complaint check would disclose that a complaint was made: complaints
    # are never public (domain.md §5), so those results are not published (ADR 0030).
    return i.enterprise_id is not None and i.archived_at is None and i.kind != InspectionKind.COMPLAINT


def inspection_visible(i: Inspection, as_of: dt.date) -> bool:
    return inspection_publishable(i) and i.published_on is not None and i.published_on <= as_of


def visible_inspections(qs: QuerySet[Inspection], as_of: dt.date) -> QuerySet[Inspection]:
    return qs.filter(
        enterprise__isnull=False,
        archived_at__isnull=True,
        published_on__isnull=False,
        published_on__lte=as_of,
    ).exclude(kind=InspectionKind.COMPLAINT)


# --- licences and commitments -------------------------------------------------------------
# Licence decisions and commitments are public from collection on (Disclosure Regulation
# art. 6/7; seed 七 "承诺内容向社会公开"), with no end date.


def licence_published_on(lic: Licence) -> dt.date:
    return max(lic.issued_on, _local_date(lic.created_at))


def licence_visible(lic: Licence, as_of: dt.date) -> bool:
    return lic.enterprise_id is not None and lic.archived_at is None and licence_published_on(lic) <= as_of


def visible_licences(qs: QuerySet[Licence], as_of: dt.date) -> QuerySet[Licence]:
    return qs.filter(
        enterprise__isnull=False,
        archived_at__isnull=True,
        issued_on__lte=as_of,
        created_at__lt=_day_end(as_of),
    )


def commitment_published_on(c: CommitmentRecord) -> dt.date:
    return max(c.committed_on, _local_date(c.created_at))


def commitment_visible(c: CommitmentRecord, as_of: dt.date) -> bool:
    return c.enterprise_id is not None and c.archived_at is None and commitment_published_on(c) <= as_of


def visible_commitments(qs: QuerySet[CommitmentRecord], as_of: dt.date) -> QuerySet[CommitmentRecord]:
    return qs.filter(
        enterprise__isnull=False,
        archived_at__isnull=True,
        committed_on__lte=as_of,
        created_at__lt=_day_end(as_of),
    )


# Annual reports (Interim Regulations on Enterprise Information Disclosure art. 8–9): the
# filing itself is public — year, filing date and whether it came after 30 June — as on
# GSXT; what the report contains is not collected here and stays out (never-public kinds).


def annual_report_visible(r: AnnualReport, as_of: dt.date) -> bool:
    return r.filed_on <= as_of


def visible_annual_reports(qs: QuerySet[AnnualReport], as_of: dt.date) -> QuerySet[AnnualReport]:
    return qs.filter(filed_on__lte=as_of)


def _local_date(ts: dt.datetime) -> dt.date:
    return local_day(ts)


def _day_end(d: dt.date) -> dt.datetime:

    return dt.datetime.combine(d + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)


# --- list entries (Anomaly Measures, Order 44) -----------------------------------------------


def anomaly_listing_visible(a: AnomalyListing, as_of: dt.date) -> bool:
    """Listed by `as_of`; a removal stays on the record with the removal; a listing
    revoked (made in error) disappears from its revocation on."""
    if a.listed_on is None or a.listed_on > as_of:
        return False
    if a.status in (AnomalyStatus.DRAFT, AnomalyStatus.DROPPED):
        return False
    return not (a.status == AnomalyStatus.REVOKED and a.removed_on is not None and a.removed_on <= as_of)


def visible_anomaly_listings(qs: QuerySet[AnomalyListing], as_of: dt.date) -> QuerySet[AnomalyListing]:
    return (
        qs.filter(listed_on__isnull=False, listed_on__lte=as_of)
        .exclude(status__in=[AnomalyStatus.DRAFT, AnomalyStatus.DROPPED])
        .exclude(status=AnomalyStatus.REVOKED, removed_on__lte=as_of)
    )


def serious_listing_visible(s: SeriousListing, as_of: dt.date) -> bool:
    """Published by `as_of` and not ended by then: removed, revoked, or past its period
    (`expires_on` is the last day listed, included — the penalties' convention — whether
    or not the removal clock has run yet). After early
    removal the public record shows neither the listing nor the removal (Order 44 art. 20)."""
    if s.published_on is None or s.published_on > as_of or s.status == SeriousStatus.DROPPED:
        return False
    if s.removed_on is not None and s.removed_on <= as_of:
        return False
    return s.expires_on is None or s.expires_on >= as_of


def visible_serious_listings(qs: QuerySet[SeriousListing], as_of: dt.date) -> QuerySet[SeriousListing]:
    return (
        qs.filter(published_on__isnull=False, published_on__lte=as_of)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=as_of))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=as_of))
        .exclude(status=SeriousStatus.DROPPED)
    )


def escalation_reminder_visible(a: AnomalyListing, as_of: dt.date) -> bool:
    """The public reminder that a listing reaches 3 years (Anomaly Measures art. 17)."""
    return (
        a.status == AnomalyStatus.LISTED
        and a.reminder_published_on is not None
        and a.reminder_published_on <= as_of
        and anomaly_listing_visible(a, as_of)
    )


def visible_escalation_reminders(qs: QuerySet[AnomalyListing], as_of: dt.date) -> QuerySet[AnomalyListing]:
    return visible_anomaly_listings(qs, as_of).filter(
        status=AnomalyStatus.LISTED, reminder_published_on__isnull=False, reminder_published_on__lte=as_of
    )


# --- typical cases (seed 十一) --------------------------------------------------------------


def typical_case_visible(c: TypicalCase, as_of: dt.date) -> bool:
    return c.status == CaseStatus.PUBLISHED and c.published_on is not None and c.published_on <= as_of


def visible_typical_cases(qs: QuerySet[TypicalCase], as_of: dt.date) -> QuerySet[TypicalCase]:
    return qs.filter(status=CaseStatus.PUBLISHED, published_on__isnull=False, published_on__lte=as_of)


def case_enterprises(c: TypicalCase, as_of: dt.date) -> list[Any]:
    """The enterprises a published case names, while something public about them backs the
    naming: a serious listing or a penalty still disclosed on `as_of`. Once both have
    ended (or been repaired) the article stays, without the name."""
    ents = list(c.enterprises.order_by("name", "id"))
    if not ents:
        return []
    ids = [e.pk for e in ents]
    backed = set(
        visible_serious_listings(SeriousListing.objects.filter(enterprise_id__in=ids), as_of).values_list(
            "enterprise_id", flat=True
        )
    ) | set(
        visible_penalties(Penalty.objects.filter(enterprise_id__in=ids), as_of).values_list(
            "enterprise_id", flat=True
        )
    )
    return [e for e in ents if e.pk in backed]


# --- exposure: repeat offenders (domain.md §11) -------------------------------------------------

EXPOSURE_REASON = "repeat_penalties"  # 屡禁不止、屡罚不改


def exposure_penalties(as_of: dt.date) -> QuerySet[Penalty]:
    """The penalties that count towards exposure on `as_of`: disclosed on that day, in a
    key area, decided within the window (rule data, domain.md §11)."""
    r = list_rules.instance_rules_on(as_of)
    since = list_rules.add_years(as_of, -r.repeat_window_years)
    return visible_penalties(
        Penalty.objects.filter(decided_on__gt=since, domain__in=r.repeat_domains or []), as_of
    )


def exposure(
    as_of: dt.date, region_prefix: str = "", key_area: str = "", limit: int = 500
) -> list[dict[str, Any]]:
    """Repeat offenders on `as_of`: enterprises with at least the threshold of penalties
    counted by `exposure_penalties`. `since` is the decision date of the oldest counted one."""

    r = list_rules.instance_rules_on(as_of)
    counted = Penalty.objects.filter(pk__in=exposure_penalties(as_of).values("pk"))
    groups = (
        counted.values("enterprise_id")
        .annotate(n=Count("id"), since=Min("decided_on"))
        .filter(n__gte=r.repeat_threshold)
    )
    by_id = {g["enterprise_id"]: g for g in groups}
    ents = Enterprise.objects.filter(pk__in=list(by_id))
    if region_prefix:
        ents = ents.filter(region_code__startswith=region_prefix)
    if key_area:
        ents = ents.filter(key_area_tags__type_id=key_area, key_area_tags__active=True).distinct()
    rows = [
        {"enterprise": e, "count": by_id[e.pk]["n"], "since": by_id[e.pk]["since"], "reason": EXPOSURE_REASON}
        for e in ents
        if e.pk in by_id
    ]
    rows.sort(key=lambda row: (-row["count"], row["enterprise"].name, row["enterprise"].uscc))
    return rows[:limit]


# --- the one entry point -----------------------------------------------------------------

_VISIBLE: dict[type, Callable[[Any, dt.date], bool]] = {
    Penalty: penalty_visible,
    Inspection: inspection_visible,
    Licence: licence_visible,
    CommitmentRecord: commitment_visible,
    AnomalyListing: anomaly_listing_visible,
    SeriousListing: serious_listing_visible,
    TypicalCase: typical_case_visible,
}


def visible(record: Any, as_of: dt.date) -> bool:
    """Is `record` public on `as_of`? Raises NeverPublic for kinds that never are."""
    fn = _VISIBLE.get(type(record))
    if fn is None:
        raise NeverPublic(f"{type(record).__name__} is never disclosed")
    return fn(record, as_of)


def published_on(record: Any) -> dt.date | None:
    if isinstance(record, Licence):
        return licence_published_on(record)
    if isinstance(record, CommitmentRecord):
        return commitment_published_on(record)
    if isinstance(record, Penalty | Inspection):
        return record.published_on
    raise NeverPublic(f"{type(record).__name__} is never disclosed")


def disclosed_until(record: Any) -> dt.date | None:
    """The last day shown; None = no end (licences, commitments, inspection results) or
    not yet published (penalties)."""
    if isinstance(record, Penalty):
        return penalty_disclosed_until(record)
    if isinstance(record, Inspection | Licence | CommitmentRecord):
        return None
    raise NeverPublic(f"{type(record).__name__} is never disclosed")


def filter_visible(qs: QuerySet, as_of: dt.date) -> QuerySet:
    filters: dict[type, Callable[[QuerySet[Any], dt.date], QuerySet[Any]]] = {
        Penalty: visible_penalties,
        Inspection: visible_inspections,
        Licence: visible_licences,
        CommitmentRecord: visible_commitments,
        AnomalyListing: visible_anomaly_listings,
        SeriousListing: visible_serious_listings,
        TypicalCase: visible_typical_cases,
    }
    fn = filters.get(qs.model)
    if fn is None:
        raise NeverPublic(f"{qs.model.__name__} is never disclosed")
    return fn(qs, as_of)
