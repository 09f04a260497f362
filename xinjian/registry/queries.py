"""Reusable reads of the register."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Count, QuerySet
from django.http import QueryDict

from xinjian.core.jurisdiction import territory_prefix
from xinjian.core.spreadsheets import neutralise_row
from xinjian.core.workdays import local_time, today

from .models import Division, Enterprise, KeyAreaTag, KeyAreaTagHistory, KeyAreaType


def division_names() -> dict[str, str]:
    return dict(Division.objects.values_list("code", "name"))


def territory_label() -> str:
    """The territory's name for messages: the province's, or the nation's for the hub."""
    from django.conf import settings

    code = settings.XINJIAN_PROVINCE
    return Division.objects.filter(code=code).values_list("name", flat=True).first() or code


def known_in_territory(codes: set[str]) -> set[str]:
    """The codes among `codes` that are known divisions of this instance's territory —
    in force or abolished since (an enterprise keeps the code it was registered under)."""
    if not codes:
        return set()
    return set(
        Division.objects.filter(code__in=codes, code__startswith=territory_prefix())
        .exclude(code="000000")
        .values_list("code", flat=True)
    )


def enterprise_page(enterprise: Enterprise) -> dict[str, Any]:
    division = enterprise.division()
    return {
        "enterprise": enterprise,
        "division_name": division.full_name() if division else enterprise.region_code,
        "tags": list(
            KeyAreaTag.objects.filter(enterprise=enterprise)
            .select_related("type", "licence")
            .order_by("-active", "type__sort_order")
        ),
        "tag_history": KeyAreaTagHistory.objects.filter(enterprise=enterprise).select_related(
            "type", "licence"
        )[:100],
        "today": today(),
    }


@dataclass(frozen=True)
class KeyAreaFilters:
    type: str = ""
    region: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> KeyAreaFilters:
        region = query.get("region", "")
        return cls(
            type=query.get("type", ""),
            region=region if region.isdigit() and len(region) == 6 else "",
            q=query.get("q", "").strip(),
        )


def _tags(user: Any, f: KeyAreaFilters) -> QuerySet[KeyAreaTag]:
    qs = KeyAreaTag.objects.visible_to(user).filter(active=True)
    if f.type:
        qs = qs.filter(type_id=f.type)
    if f.region:
        qs = qs.in_region(f.region)
    if f.q:
        qs = qs.filter(enterprise__in=Enterprise.objects.search(f.q))
    return qs


def key_area_rows(user: Any, f: KeyAreaFilters) -> QuerySet[KeyAreaTag]:
    return (
        _tags(user, f)
        .select_related("enterprise", "type", "licence")
        .order_by("type__sort_order", "enterprise__region_code", "enterprise__name", "id")
    )


def key_area_counts(user: Any, f: KeyAreaFilters) -> list[dict[str, Any]]:
    """Counts per type for the filter bar (the region and text filters apply)."""
    counts = dict(
        _tags(user, KeyAreaFilters(region=f.region, q=f.q)).values_list("type_id").annotate(n=Count("id"))
    )
    return [{"type": t, "count": counts.get(t.code, 0)} for t in KeyAreaType.objects.all()]


XLSX_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "法定代表人",
    "区划代码",
    "所属区划",
    "重点领域类型",
    "标注依据",
    "许可证编号",
    "许可有效期至",
    "标注时间",
    "登记状态",
]


def key_area_xlsx(user: Any, f: KeyAreaFilters) -> IO[bytes]:
    """Write the filtered list to an .xlsx in a temporary file and return it, rewound.
    openpyxl's write-only mode keeps memory flat whatever the row count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    names = division_names()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("重点领域企业清单")
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJK", [22, 36, 12, 10, 14, 22, 14, 22, 14, 18, 8], strict=True):
        ws.column_dimensions[col].width = width
    header = []
    for title in XLSX_HEADERS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for tag in key_area_rows(user, f).iterator(chunk_size=2000):
        e = tag.enterprise
        ws.append(
            neutralise_row(
                [
                    e.uscc,
                    e.name,
                    e.legal_representative,
                    e.region_code,
                    names.get(e.region_code, ""),
                    tag.type.name,
                    tag.get_source_display(),
                    tag.licence.licence_no if tag.licence else "",
                    tag.licence.valid_until if tag.licence and tag.licence.valid_until else None,
                    local_time(tag.since).strftime("%Y-%m-%d %H:%M"),
                    e.get_status_display(),
                ]
            )
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    wb.save(out)
    out.seek(0)
    return out
