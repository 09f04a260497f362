"""Jurisdiction is decided here and only here (architecture rule 6).

A department sees the enterprises whose division code starts with its own prefix:
province 440000 → "44", city 440300 → "4403", county 440305 → "440305".
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


NATIONAL = "000000"  # the national hub's territory: every division


def region_prefix(code: str) -> str:
    if len(code) != 6 or not code.isdigit():
        raise ValueError(f"not a division code: {code!r}")
    if code == NATIONAL:
        return ""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def territory_prefix() -> str:
    """The division prefix of this instance's territory (XINJIAN_PROVINCE; "" for the
    national hub)."""
    from django.conf import settings

    return region_prefix(settings.XINJIAN_PROVINCE)


def user_region_prefix(user: Any) -> str | None:
    """The prefix a staff user sees, or None when they see no enterprise at all.
    Superusers (platform operators) see everything: prefix ""."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return ""
    staff = getattr(user, "staff_profile", None)
    if staff is None or not staff.active:
        return None
    return region_prefix(staff.department.division_id)


class JurisdictionQuerySet(models.QuerySet[M]):
    """A queryset that knows which field holds the enterprise's division code."""

    region_field = "region_code"

    def visible_to(self, user: Any) -> Self:
        prefix = user_region_prefix(user)
        if prefix is None:
            return self.none()
        if prefix == "":
            return self
        return self.filter(**{f"{self.region_field}__startswith": prefix})

    def in_region(self, code: str) -> Self:
        return self.filter(**{f"{self.region_field}__startswith": region_prefix(code)})


class EnterpriseScopedQuerySet(JurisdictionQuerySet[M]):
    """For rows recorded under an enterprise: the enterprise's division decides."""

    region_field = "enterprise__region_code"


def scoped_queryset(region_field: str) -> type[JurisdictionQuerySet[Any]]:
    """A JurisdictionQuerySet subclass for models whose region sits behind a relation."""
    return type(
        f"JurisdictionQuerySet_{region_field.replace('__', '_')}",
        (JurisdictionQuerySet,),
        {"region_field": region_field},
    )


def get_visible_or_404(qs: Any, user: Any, **lookup: Any) -> Any:
    """Load one object the user may see, or 404 — outside the jurisdiction looks the same
    as not existing, so nothing leaks about other regions."""
    try:
        return qs.visible_to(user).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404
