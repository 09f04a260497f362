"""Login throttling (issue 13 item 3). Password logins — staff, enterprise users, the
admin — go through django-axes (settings: AXES_*): per username and per address, locked
after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME. Wrong API tokens get the same
treatment per address here (`TokenFailures`), since a token has no username. Every
lockout writes an audit entry; administrators lift one with `actions.unlock`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from xinjian.core import audit
from xinjian.core.actors import Actor

from .models import TokenFailures

SYSTEM = Actor("system:login_protection")


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted
    # proxy rewrites it, and the proxy is expected to set REMOTE_ADDR in production.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def axes_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR, or None when a request has none (a login
    made in code) — axes stores addresses in an IP column (inet on PostgreSQL)."""
    return request.META.get("REMOTE_ADDR") or None


def limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def cooloff() -> dt.timedelta:
    return settings.AXES_COOLOFF_TIME  # type: ignore[no-any-return]


def on_locked_out(sender: Any, request: Any, username: str | None, ip_address: str | None, **kw: Any) -> None:
    """axes' `user_locked_out`: audit the moment a username or address becomes locked
    (axes sends it again for every attempt while locked; those are not new lockouts)."""
    if getattr(request, "axes_failures_since_start", None) != limit():
        return
    with transaction.atomic():
        audit.record(
            "accounts.login.locked_out",
            actor=SYSTEM,
            object_type="auth.login",
            object_id=(username or "")[:64],
            after={"username": username or "", "address": ip_address or "", "path": request.path[:200]},
            reason=f"连续{limit()}次登录失败",
        )


def token_locked(address: str) -> bool:
    now = timezone.now()
    return TokenFailures.objects.filter(address=address, locked_until__gt=now).exists()


@transaction.atomic
def token_failed(address: str) -> None:
    """Count one wrong token from `address`; lock it at the limit (audited)."""
    now = timezone.now()
    row, _ = TokenFailures.objects.select_for_update().get_or_create(
        address=address, defaults={"last_failed_at": now}
    )
    if row.last_failed_at < now - cooloff() and not (row.locked_until and row.locked_until > now):
        row.failures = 0  # an old streak does not count towards a new lock
    row.failures += 1
    row.last_failed_at = now
    if row.failures >= limit():
        newly = row.locked_until is None or row.locked_until <= now
        row.locked_until = now + cooloff()  # every failure while locked restarts the cool-off
        if newly:
            audit.record(
                "accounts.token.locked_out",
                actor=SYSTEM,
                object_type="auth.api_token",
                object_id=address[:64],
                after={"address": address, "failures": row.failures},
                reason=f"连续{limit()}次接口令牌无效",
            )
    row.save()


def locked_logins() -> list[dict[str, Any]]:
    """Usernames and addresses locked now (axes attempts at the limit within the cool-off)."""
    since = timezone.now() - cooloff()
    rows = AccessAttempt.objects.filter(failures_since_start__gte=limit(), attempt_time__gte=since)
    return [
        {
            "username": a.username or "",
            "address": a.ip_address or "",
            "failures": a.failures_since_start,
            "until": a.attempt_time + cooloff(),
        }
        for a in rows.order_by("-attempt_time")
    ]


def locked_tokens() -> list[TokenFailures]:
    return list(TokenFailures.objects.filter(locked_until__gt=timezone.now()).order_by("-locked_until"))
