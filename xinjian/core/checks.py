"""System checks with stable ids (style.md §10)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .models import CalendarYear
from .workdays import today


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the development key",
                hint="Set SECRET_KEY in the environment.",
                id="xinjian.E001",
            )
        ]
    return []


@register(Tags.database)
def calendar_covers_next_year(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Warning]:
    """From November the State Council has announced next year's holidays; a missing
    year makes every deadline that runs into it provisional (domain.md §14)."""
    if not databases:
        return []
    from django.db import DatabaseError

    now = today()
    try:
        if now.month >= 11 and not CalendarYear.objects.filter(year=now.year + 1).exists():
            return [
                Warning(
                    f"{now.year + 1}年节假日安排尚未录入：跨年期限将标注为临时期限",
                    hint="在系统管理 › 节假日调整中录入新年度安排",
                    id="xinjian.W001",
                )
            ]
    except DatabaseError:
        return []
    return []


@register(Tags.caches, deploy=True)
def shared_cache_for_rate_limits(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """The public search rate limit (disclosure.ratelimit) counts in the "default" cache.
    Without CACHE_URL that is each process's own memory, so N gunicorn workers allow
    N × LIMIT searches a minute per address (docs/adr/0031)."""
    if not settings.CACHE_URL:
        return [
            Warning(
                "CACHE_URL is not set: the public search rate limit is counted per worker process",
                hint="Set CACHE_URL=redis://HOST:6379/1 so that every worker and host shares one count.",
                id="xinjian.W010",
            )
        ]
    return []
