"""Double-random draws over HTTP (interfaces.md): the public draws and the auditors'
population. Field names are the fixed contract; extra fields are additions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from xinjian.core.access import public_api
from xinjian.core.api_auth import scope
from xinjian.core.errors import NotFound
from xinjian.core.jurisdiction import region_prefix

from .models import Draw, Stratum

router = Router(tags=["double random"])


class DrawSummary(Schema):
    draw_id: str
    task: str = Field(description="the task's code")
    drawn_at: dt.datetime
    # additions
    task_title: str
    region_code: str
    superseded: bool = Field(description="true when a later re-draw replaced this draw (it stays visible)")


class DrawList(Schema):
    results: list[DrawSummary]


class DrawStratum(Schema):
    stratum: str = Field(description="S1, S2, …")
    risk_class: str | None = Field(
        None, alias="class", description="the risk class (auditors only); absent for an unstratified draw"
    )
    ratio: float = Field(
        description="read as the decimal text it prints as; selected = ceil(ratio × population)"
    )
    population: int
    population_digest: str = Field(description='sha256 of the sorted USCCs joined by "\\n"')
    uscc: list[str] | None = Field(None, description="the population, sorted (auditors only)")
    selected: list[str] = Field(description="sorted by USCC")


class PublicDraw(Schema):
    draw_id: str
    task: str
    commitment: str = Field(description="sha256(seed), published with the task before the draw")
    committed_at: dt.datetime | None = Field(description="when the commitment was published")
    drawn_at: dt.datetime
    algorithm: str
    population: int = Field(description="the size of the population drawn from (all strata)")
    selected: list[str] = Field(description="the merged selection, sorted by USCC (never in rank order)")
    seed: str | None = Field(None, description="only for a draw with a single stratum (interfaces.md v1.1)")
    strata: list[DrawStratum] | None = Field(None, description="only for a draw with a single stratum")
    # additions
    task_title: str
    stratified: bool = Field(
        description="drawn per risk class: the seed and strata are given to auditors only "
        "(GET /api/v1/draws/{draw_id}/population)"
    )
    superseded: bool
    superseded_reason: str


class Population(Schema):
    draw_id: str
    commitment: str
    seed: str
    algorithm: str
    strata: list[DrawStratum]


def _draws() -> Any:
    return Draw.objects.select_related("task")


def _get(draw_id: str) -> Draw:
    draw = _draws().filter(draw_id=draw_id).first()
    if draw is None:
        raise NotFound(
            gettext("没有该抽取记录"), details=[{"field": "draw_id", "code": "not_found", "message": draw_id}]
        )
    return draw


def _strata(draw: Draw) -> list[Stratum]:
    return list(draw.strata.defer("population").order_by("name"))


def draw_summary(draw: Draw) -> dict[str, Any]:
    return {
        "draw_id": draw.draw_id,
        "task": draw.task.code,
        "drawn_at": draw.drawn_at,
        "task_title": draw.task.title,
        "region_code": draw.task.region_code,
        "superseded": draw.superseded_at is not None,
    }


def _stratum(s: Stratum, *, auditor: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "stratum": s.name,
        "ratio": float(s.ratio.normalize()),
        "population": s.population_size,
        "population_digest": s.population_digest,
        "selected": sorted(s.selected),
    }
    if auditor:
        row["class"] = s.risk_class or None
        row["uscc"] = s.population_list()
    return row


def public_draw(draw: Draw) -> dict[str, Any]:
    """The published data of a draw (interfaces.md v1.1). A risk-stratified draw shows
    only its commitment (with the time it was published, before the draw), the size of
    the population and the merged selection sorted by USCC: the seed would let anyone
    rank the selected enterprises by hash and the per-stratum ratios and selections would
    tell their class, and risk classes are never public. A single-stratum draw also
    shows its seed and its stratum."""
    strata = _strata(draw)
    data: dict[str, Any] = {
        "draw_id": draw.draw_id,
        "task": draw.task.code,
        "commitment": draw.commitment,
        "committed_at": draw.committed_at,
        "drawn_at": draw.drawn_at,
        "algorithm": draw.algorithm,
        "population": sum(s.population_size for s in strata),
        "selected": sorted(u for s in strata for u in s.selected),
        "task_title": draw.task.title,
        "stratified": len(strata) > 1,
        "superseded": draw.superseded_at is not None,
        "superseded_reason": draw.superseded_reason,
    }
    if len(strata) == 1:
        data["seed"] = draw.seed
        data["strata"] = [_stratum(strata[0], auditor=False)]
    return data


def auditor_population(draw: Draw) -> dict[str, Any]:
    """Everything needed to recompute the draw: the seed and, per stratum, its class,
    ratio, population and selection (interfaces.md /draws/{id}/population)."""
    return {
        "draw_id": draw.draw_id,
        "commitment": draw.commitment,
        "seed": draw.seed,
        "algorithm": draw.algorithm,
        "strata": [_stratum(s, auditor=True) for s in draw.strata.order_by("name")],
    }


@router.get("/public/draws", response=DrawList, summary="Published double-random draws, newest first")
@public_api
def list_draws(request: HttpRequest) -> dict[str, Any]:
    return {"results": [draw_summary(d) for d in _draws().order_by("-drawn_at", "-id")]}


@router.get(
    "/public/draws/{draw_id}",
    response=PublicDraw,
    by_alias=True,
    exclude_none=True,
    summary="One draw: commitment, population size and merged selection (seed and stratum if unstratified)",
)
@public_api
def get_draw(request: HttpRequest, draw_id: str) -> dict[str, Any]:
    return public_draw(_get(draw_id))


@router.get(
    "/draws/{draw_id}/population",
    response=Population,
    by_alias=True,
    exclude_none=True,
    auth=scope("risk"),
    summary="Everything needed to recompute the draw, for auditors (scope risk)",
)
def draw_population(request: HttpRequest, draw_id: str) -> dict[str, Any]:
    draw = _get(draw_id)
    client = request.api_client  # type: ignore[attr-defined]
    # Like the risk endpoint, a client bound to a region reads only draws inside it.
    if client.region_code and not draw.task.region_code.startswith(region_prefix(client.region_code)):
        raise NotFound(gettext("没有该抽取记录"))
    return auditor_population(draw)
