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


class PublicStratum(Schema):
    stratum: str = Field(description="S1, S2, …: the name does not reveal the risk class")
    population: int
    population_digest: str = Field(description='sha256 of the sorted USCCs joined by "\\n"')
    ratio: float = Field(
        description="read as the decimal text it prints as; selected = ceil(ratio × population)"
    )
    selected: list[str] = Field(description="in rank order (sha256(seed:uscc) ascending)")


class PublicDraw(Schema):
    draw_id: str
    task: str
    commitment: str = Field(description="sha256(seed), published with the task before the draw")
    seed: str
    algorithm: str
    strata: list[PublicStratum]
    # additions
    task_title: str
    drawn_at: dt.datetime
    superseded: bool
    superseded_reason: str


class PopulationStratum(Schema):
    stratum: str
    risk_class: str = Field(alias="class")
    uscc: list[str]


class Population(Schema):
    strata: list[PopulationStratum]


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


def public_draw(draw: Draw) -> dict[str, Any]:
    """The published data of a draw: everything a verifier needs except the population."""
    return {
        "draw_id": draw.draw_id,
        "task": draw.task.code,
        "commitment": draw.commitment,
        "seed": draw.seed,
        "algorithm": draw.algorithm,
        "strata": [
            {
                "stratum": s.name,
                "population": s.population_size,
                "population_digest": s.population_digest,
                "ratio": float(s.ratio.normalize()),
                "selected": s.selected,
            }
            for s in _strata(draw)
        ],
        "task_title": draw.task.title,
        "drawn_at": draw.drawn_at,
        "superseded": draw.superseded_at is not None,
        "superseded_reason": draw.superseded_reason,
    }


@router.get("/public/draws", response=DrawList, summary="Published double-random draws, newest first")
@public_api
def list_draws(request: HttpRequest) -> dict[str, Any]:
    return {"results": [draw_summary(d) for d in _draws().order_by("-drawn_at", "-id")]}


@router.get("/public/draws/{draw_id}", response=PublicDraw, summary="One draw, with its seed and selection")
@public_api
def get_draw(request: HttpRequest, draw_id: str) -> dict[str, Any]:
    return public_draw(_get(draw_id))


@router.get(
    "/draws/{draw_id}/population",
    response=Population,
    by_alias=True,
    auth=scope("risk"),
    summary="The population of each stratum, for auditors (scope risk)",
)
def draw_population(request: HttpRequest, draw_id: str) -> dict[str, Any]:
    draw = _get(draw_id)
    client = request.api_client  # type: ignore[attr-defined]
    # Like the risk endpoint, a client bound to a region reads only draws inside it.
    if client.region_code and not draw.task.region_code.startswith(region_prefix(client.region_code)):
        raise NotFound(gettext("没有该抽取记录"))
    return {
        "strata": [
            {"stratum": s.name, "class": s.risk_class, "uscc": s.population_list()}
            for s in draw.strata.order_by("name")
        ]
    }
