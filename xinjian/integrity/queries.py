"""Reads of the integrity section: published articles, an association's members and
what an association may see of them — their public profile (the disclosure policy's
one gate, `disclosure.queries.profile`) and the pushes it received. Never a risk class,
a complaint or anything the public cannot see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinjian.core.workdays import today
from xinjian.disclosure.queries import profile
from xinjian.sharing.models import Delivery, Subscription

from .models import Article, ArticleStatus, IndustryAssociation, Membership


def published_articles(on: dt.date | None = None) -> Any:
    on = on or today()
    return Article.objects.filter(
        status=ArticleStatus.PUBLISHED, published_on__isnull=False, published_on__lte=on
    ).order_by("-published_on", "-id")


def current_members(association: IndustryAssociation, on: dt.date | None = None) -> Any:
    """Memberships in force on `on` (joined by then, not ended by then)."""
    on = on or today()
    return (
        Membership.objects.filter(association=association, since__lte=on)
        .exclude(ended_on__isnull=False, ended_on__lte=on)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )


def member_usccs(key: str) -> set[str]:
    """The audience `association:<id>` of sharing: its members today."""
    if not key.isdigit():
        return set()
    association = IndustryAssociation.objects.filter(pk=int(key), active=True).first()
    if association is None:
        return set()
    return set(current_members(association).values_list("enterprise__uscc", flat=True))


def audience_of(association: IndustryAssociation) -> str:
    return f"association:{association.pk}"


def member_rows(association: IndustryAssociation, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Each member with what is public about it today (the public profile)."""
    on = on or today()
    rows = []
    for m in current_members(association, on):
        data = profile(m.enterprise, on)
        rows.append(
            {
                "membership": m,
                "profile": data,
                "anomaly": any(a.get("removed_on") is None for a in data["anomaly_listings"]),
                "serious": data["serious_listing"] is not None,
                "penalties": len(data["penalties"]),
            }
        )
    return rows


def is_member(association: IndustryAssociation, uscc: str, on: dt.date | None = None) -> bool:
    return current_members(association, on).filter(enterprise__uscc=uscc).exists()


def subscriptions_of(association: IndustryAssociation) -> Any:
    return Subscription.objects.filter(audience=audience_of(association))


def received(association: IndustryAssociation, limit: int = 100) -> Any:
    """The pushes queued or delivered to the association, newest first."""
    return (
        Delivery.objects.filter(subscription__in=subscriptions_of(association))
        .select_related("event", "subscription")
        .order_by("-id")[:limit]
    )
