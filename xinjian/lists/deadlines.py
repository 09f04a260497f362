"""The lists' statutory deadlines, derived from start + rule + calendar (core.deadlines)."""

from __future__ import annotations

import datetime as dt

from xinjian.core.deadlines import DeadlineRule, register

from . import rules
from .models import AnomalyListing, SeriousListing


def _region(listing: AnomalyListing | SeriousListing) -> str:
    return listing.enterprise.region_code


def _listing_start(a: AnomalyListing) -> dt.date | None:
    """Anomaly Measures art. 4 (1): for a missing annual report the 10 working days run
    from the end of the filing window (30 June), otherwise from discovery."""
    if a.ground == "annual_report_missing" and a.report_year:
        r = rules.rules_on(a.proposed_on, _region(a))
        return dt.date(a.report_year + 1, r.annual_report_deadline_month, r.annual_report_deadline_day)
    return a.proposed_on


def _listing_days(a: AnomalyListing) -> int:
    start = _listing_start(a) or a.proposed_on
    if a.ground == "annual_report_missing" and a.report_year:
        return rules.instance_rules_on(start).anomaly_listing_working_days  # the bulk clock's rule
    return rules.rules_on(start, _region(a)).anomaly_listing_working_days


LISTING_DUE = register(
    DeadlineRule(
        AnomalyListing,
        "listing_due",
        "proposed_on",
        _listing_days,
        start=_listing_start,
        label="列入期限",
    )
)
REMOVAL_DUE = register(
    DeadlineRule(
        AnomalyListing,
        "removal_due",
        "ground_ceased_on",
        lambda a: rules.rules_on(a.ground_ceased_on, _region(a)).anomaly_removal_working_days,
        label="移出期限",
    )
)
STATEMENT_DUE = register(
    DeadlineRule(
        SeriousListing,
        "statement_due",
        "notified_on",
        lambda s: rules.rules_on(s.notified_on, _region(s)).serious_statement_working_days,
        label="陈述申辩期限",
    )
)
# The remedies against the decision run from its service (calendar periods: a last day on
# a holiday or rest day moves to the next working day).
RECONSIDERATION_DUE = register(
    DeadlineRule(
        SeriousListing,
        "reconsideration_due",
        "decision_served_on",
        lambda s: 60,
        label="申请行政复议期限",
        unit="days",
    )
)
LAWSUIT_DUE = register(
    DeadlineRule(
        SeriousListing,
        "lawsuit_due",
        "decision_served_on",
        lambda s: 6,
        label="提起行政诉讼期限",
        unit="months",
    )
)
PUBLICATION_DUE = register(
    DeadlineRule(
        SeriousListing,
        "publication_due",
        "decided_on",
        lambda s: rules.rules_on(s.decided_on, _region(s)).serious_publication_working_days,
        label="公示期限",
    )
)
