"""Bearer-token authentication for system clients (interfaces.md: a missing or wrong token
is 401, a token without the scope is 403) and the region a regional client is bound to.

The API modules of every app authenticate here, below the apps. The clients themselves
(`sharing.ApiClient`) live in the sharing app, which registers how a token is looked up
(`set_client_lookup`, from its AppConfig.ready()); a client is anything with `has_scope`
and `region_code`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext
from ninja.security import HttpBearer

from .errors import DomainError, NotAllowed, field_error
from .jurisdiction import region_prefix

_lookup: Callable[[str], Any] | None = None


def _never_locked(request: Any) -> bool:
    return False


def _ignore_failure(request: Any) -> None:
    return None


_token_locked: Callable[[Any], bool] = _never_locked
_token_failed: Callable[[Any], None] = _ignore_failure


def set_client_lookup(lookup: Callable[[str], Any]) -> None:
    """Register the function that returns the active client holding a token, or None."""
    global _lookup
    _lookup = lookup


def set_token_lockout(locked: Callable[[Any], bool], failed: Callable[[Any], None]) -> None:
    """Register the lockout of addresses that send wrong tokens (the accounts app owns it,
    issue 13): `locked(request)` refuses a locked address, `failed(request)` counts one
    wrong token."""
    global _token_locked, _token_failed
    _token_locked, _token_failed = locked, failed


class TokenLocked(DomainError):
    status = 429
    code = "too_many_failures"


class ScopedBearer(HttpBearer):
    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: Any, token: str) -> Any:
        if _lookup is None:
            raise RuntimeError("no API client lookup registered (the sharing app registers it)")
        # Repeated wrong tokens from one address lock it for the login cool-off (issue 13),
        # whatever token it sends next.
        if _token_locked(request):
            raise TokenLocked(gettext("该地址多次使用无效令牌，已暂时锁定，请稍后再试"))
        client = _lookup(token)
        if client is None:
            _token_failed(request)
            return None
        if not client.has_scope(self.scope):
            raise NotAllowed(
                gettext("该令牌没有“%(scope)s”权限") % {"scope": self.scope}, code="missing_scope"
            )
        request.api_client = client
        return client


def scope(name: str) -> ScopedBearer:
    return ScopedBearer(name)


def client_region_prefix(client: Any) -> str | None:
    """The division prefix a client is bound to, or None for a client of the whole
    instance (issue 13: every record a regional token reads or writes lies inside it)."""
    return region_prefix(client.region_code) if client.region_code else None


def record_region(uscc: str, enterprise: Any = None) -> str:
    """The division a record about `uscc` belongs to: the enterprise's when the register
    holds it, otherwise the registration authority's division embedded in the USCC
    (GB 32100-2015 characters 3–8), so a record about an enterprise not registered yet is
    judged too."""
    if enterprise is not None:
        return str(enterprise.region_code)
    return uscc[2:8] if len(uscc) == 18 else ""


def outside_region_error(uscc: str) -> DomainError:
    message = gettext("该记录所属主体不在本令牌的区域内")
    return DomainError(
        message,
        code="outside_region",
        details=[field_error("uscc", "outside_region", message)],
    )


def check_record_region(client: Any, uscc: str, enterprise: Any = None) -> None:
    """A regional client writes only records about enterprises of its region: otherwise
    `400 outside_region` naming `uscc`."""
    prefix = client_region_prefix(client)
    if prefix is not None and not record_region(uscc, enterprise).startswith(prefix):
        raise outside_region_error(uscc)
