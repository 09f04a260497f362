"""Key-area tags follow licences (domain.md §3, 动态调整): the register owns the tags, the
licences live here, so the rule that derives one from the other lives here too."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinjian.core.workdays import today
from xinjian.registry.actions import change_tag, write_tag_changes
from xinjian.registry.models import Enterprise, KeyAreaTag, KeyAreaType, TagAction, TagSource

from .models import Licence, LicenceStatus


@transaction.atomic
def apply_licence_changes(licences: Iterable[Any], *, actor: Any, on: dt.date | None = None) -> int:
    """Re-tag the enterprises whose licences changed (domain.md §3, 动态调整).

    For each key-area type a changed licence names: the enterprise is tagged while it holds
    any licence of that type valid on `on`, and untagged the same day the last one is
    revoked, cancelled or expires. Manual tags are left to people. Called inside the
    transaction that changed the licences. Returns the number of tag changes."""
    on = on or today()
    types = [t for t in KeyAreaType.objects.filter(enabled=True)]
    touched: dict[int, set[str]] = defaultdict(set)
    for lic in licences:
        if lic.enterprise_id is None:
            continue
        for t in types:
            if t.matches(lic.licence_type, lic.licence_no):
                touched[lic.enterprise_id].add(t.code)
    if not touched:
        return 0
    holding: dict[tuple[int, str], Any] = {}
    valid = (
        Licence.objects.filter(enterprise_id__in=list(touched), status=LicenceStatus.VALID)
        .exclude(valid_until__lt=on)
        .order_by("issued_on")
    )
    for lic in valid:
        # Filtered on enterprise_id__in above, so never a pending (enterprise-less) licence.
        assert lic.enterprise_id is not None
        for t in types:
            if t.code in touched[lic.enterprise_id] and t.matches(lic.licence_type, lic.licence_no):
                holding[(lic.enterprise_id, t.code)] = lic
    rows = {
        (tag.enterprise_id, tag.type_id): tag
        for tag in KeyAreaTag.objects.filter(enterprise_id__in=list(touched)).select_related("licence")
    }
    enterprises = Enterprise.objects.in_bulk(list(touched))
    by_code = {t.code: t for t in types}
    now = timezone.now()
    changes = []
    for eid, codes in touched.items():
        for code in codes:
            key = (eid, code)
            lic = holding.get(key)
            tag = rows.get(key)
            active = tag is not None and tag.active
            if lic is not None and not active:
                reason = f"持有有效{lic.get_licence_type_display()}（{lic.licence_no}）"
                changes.append(
                    change_tag(
                        tag,
                        enterprises[eid],
                        by_code[code],
                        TagAction.TAGGED,
                        actor=actor,
                        reason=reason,
                        source=TagSource.LICENCE,
                        licence=lic,
                        now=now,
                    )
                )
            elif lic is None and tag is not None and active and tag.source == TagSource.LICENCE:
                last = tag.licence
                status = last.get_status_display() if last is not None else ""
                if (
                    last is not None
                    and last.status == LicenceStatus.VALID
                    and last.valid_until
                    and last.valid_until < on
                ):
                    status = "过期"
                reason = f"许可已{status}（{last.licence_no}），无其他有效许可" if last else "无有效许可"
                changes.append(
                    change_tag(
                        tag,
                        enterprises[eid],
                        by_code[code],
                        TagAction.UNTAGGED,
                        actor=actor,
                        reason=reason,
                        source=TagSource.LICENCE,
                        licence=last,
                        now=now,
                    )
                )
    write_tag_changes(changes)
    return len(changes)
