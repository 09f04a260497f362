"""Which department is responsible for an enterprise's division: the department of the
division itself, else of its city, else of its province (the nearest one above)."""

from __future__ import annotations

from .models import Department


def covering_divisions(region_code: str) -> list[str]:
    """The county, city and province codes of a six-digit division code, most local first
    (a city or province code repeats itself; callers look the codes up in order)."""
    return [region_code, region_code[:4] + "00", region_code[:2] + "0000"]


def department_for(region_code: str) -> Department | None:
    """The department whose jurisdiction is the enterprise's division (or the nearest above)."""
    codes = covering_divisions(region_code)
    by_code = {d.division_id: d for d in Department.objects.filter(division_id__in=codes)}
    for code in codes:
        if code in by_code:
            return by_code[code]
    return None


def department_of(actor: object) -> Department | None:
    """The department of a staff member (None for a system actor given as a string)."""
    if isinstance(actor, str):
        return None
    return getattr(getattr(actor, "staff_profile", None), "department", None)
