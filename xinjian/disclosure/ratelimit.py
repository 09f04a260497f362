"""Per-address rate limit for public search (fixed one-minute windows), kept in Django's
"default" cache (LocMemCache unless CACHES says otherwise: then each gunicorn worker counts
on its own, so the effective limit is workers × LIMIT; point CACHES at Redis or the
database cache to share the count — docs/adr/0031)."""

from __future__ import annotations

import time

from django.core.cache import caches
from django.http import HttpRequest
from django.utils.translation import gettext

from xinjian.core.errors import DomainError

CACHE_ALIAS = "default"
LIMIT = 30  # searches per client address per window
WINDOW = 60  # seconds


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy
    # rewrites it, and the proxy is expected to set REMOTE_ADDR (e.g. gunicorn
    # --forwarded-allow-ips) in production.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(request: HttpRequest, bucket: str = "search") -> None:
    """Count one request; raise RateLimited once the address passed LIMIT in the window."""
    cache = caches[CACHE_ALIAS]
    window = int(time.time() // WINDOW)
    key = f"disclosure:rl:{bucket}:{client_address(request)}:{window}"
    if cache.add(key, 1, WINDOW + 5):
        n = 1
    else:
        try:
            n = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW + 5)
            n = 1
    if n > LIMIT:
        raise RateLimited(gettext("查询过于频繁，请稍后再试"))
